defmodule LiveStash do
  @moduledoc """
  Stash chosen LiveView assigns and recover them after the socket reconnects.

      defmodule MyAppWeb.CounterLive do
        use MyAppWeb, :live_view
        use LiveStash, stored_keys: [:count]

        def mount(_params, _session, socket) do
          case LiveStash.recover_state(socket) do
            {:recovered, socket} -> {:ok, socket}
            {_status, socket} -> {:ok, assign(socket, :count, 0)}
          end
        end

        def handle_event("inc", _, socket) do
          {:noreply, socket |> assign(:count, socket.assigns.count + 1) |> LiveStash.stash()}
        end
      end

  See the README for options, statuses and adapters, and `LiveStash.Component` for
  LiveComponents.
  """

  alias LiveStash.{
    AutoStash,
    Component,
    ConnectParams,
    Failure,
    KeepAlive,
    Official,
    Options,
    Record,
    Secret,
    State
  }

  alias LiveStash.Component.Host

  require Logger

  @type status :: :recovered | :new | :not_found | :error

  @doc """
  Registers LiveStash's `on_mount` hook. Options are checked when the module compiles
  and again on mount; see `LiveStash.Options` for each one. It also defines `terminate/2`
  (around yours, if any), so that a stash still pending when the LiveView ends is
  written; see `LiveStash.AutoStash`.

      use LiveStash, stored_keys: [:count, :filter], ttl: 600
  """
  defmacro __using__(opts) do
    quote bind_quoted: [opts: opts] do
      # Fail the build on a typo instead of the first request.
      LiveStash.Options.validate!(opts)
      require Phoenix.LiveView
      Phoenix.LiveView.on_mount({LiveStash, opts})
      @before_compile LiveStash.AutoStash
    end
  end

  @doc false
  def on_mount(opts, _params, session, socket) do
    case Options.validate!(opts) do
      %Options{adapter_opts: nil} = options -> {:cont, mount(socket, session, options)}
      options -> {:cont, Official.mount(socket, session, options)}
    end
  end

  defp mount(socket, session, options) do
    state = %State{
      options: options,
      session: Secret.binding(options, session, socket.endpoint),
      legacy_session: Secret.legacy_binding(options, session),
      view_id: socket.id
    }

    if Phoenix.LiveView.connected?(socket),
      do: mount_connected(socket, state),
      else: State.put(socket, state)
  end

  defp mount_connected(socket, %State{options: options} = state) do
    incoming = ConnectParams.parse(Phoenix.LiveView.get_connect_params(socket))
    restored? = incoming.restored? and options.recover_after_reload

    state = %State{
      state
      | connected?: true,
        incoming: incoming,
        fresh?: not (incoming.reconnected? or restored?)
    }

    {socket, state} = options.adapter.mount(socket, state)
    {socket, state} = KeepAlive.attach(socket, state)
    socket = Host.attach(socket, state)
    socket = AutoStash.attach(socket, state)
    State.put(socket, state)
  end

  @doc """
  Stores the `:stored_keys` assigns, unless they are unchanged since the last stash.
  It writes at once, also with `auto_stash` (what an auto stash had pending goes with
  it). A no-op before the socket is connected. Returns the socket. On a LiveComponent's
  socket it stashes the component (see `LiveStash.Component`).

      def handle_event("inc", _params, socket) do
        {:noreply, socket |> update(:count, &(&1 + 1)) |> LiveStash.stash()}
      end
  """
  @spec stash(Phoenix.LiveView.Socket.t()) :: Phoenix.LiveView.Socket.t()
  def stash(socket) do
    if Component.socket?(socket), do: Component.stash(socket), else: stash_view(socket)
  end

  defp stash_view(socket) do
    state = State.fetch!(socket, :stash)

    cond do
      Official.state?(state) -> Official.stash(socket, state)
      state.connected? -> stash_assigns(socket, state)
      true -> socket
    end
  end

  defp stash_assigns(socket, state) do
    assigns = Map.take(socket.assigns, state.options.stored_keys)

    # Strict equality, not a hash of the serialised value: a value that was not rebuilt
    # since the last stash compares in constant time, so an unchanged stash serialises
    # nothing. `last_assigns` moves only on a successful write, so a failed one is retried.
    # (A keyed browser stash then compares key by key, and writes only the changed keys.)
    if assigns === state.last_assigns,
      do: socket,
      else: write(socket, state, assigns)
  end

  defp write(socket, state, assigns) do
    record = Record.new(state, socket.view, assigns, Host.components(socket))

    put = fn -> state.options.adapter.put(socket, state, record) end

    case LiveStash.Telemetry.stash(socket, state, put) do
      {:ok, socket} ->
        socket = State.put(socket, %State{state | last_assigns: assigns})

        :ok = Host.written(socket)
        :ok = AutoStash.written(socket)
        socket

      {:error, reason} ->
        Logger.warning("LiveStash could not stash #{inspect(socket.view)}: #{inspect(reason)}")
        socket
    end
  end

  @doc """
  Recovers the stashed assigns into the socket. Call it from `mount/3`.

  Returns `{status, socket}`:

    * `:recovered` - the stashed assigns were assigned
    * `:new` - a first mount (or not connected yet): there is nothing to recover
    * `:not_found` - a reconnect, but nothing (unexpired) is stashed for this view. A
      stash of another view (another LiveView module, or another instance of it, e.g. a
      sibling nested view) is left in place for its owner; this view gets a fresh one
    * `:error` - the stash was rejected (tampered, foreign session, other version,
      unreadable, adapter failure); it is dropped

  Anything but a plain "nothing stashed" logs one warning naming the view and the
  reason (see `LiveStash.Failure`).

      {status, socket} = LiveStash.recover_state(socket)
      socket = if status == :recovered, do: socket, else: assign(socket, :count, 0)
  """
  @spec recover_state(Phoenix.LiveView.Socket.t()) :: {status(), Phoenix.LiveView.Socket.t()}
  def recover_state(socket) do
    LiveStash.Telemetry.recover(socket, fn ->
      if Component.socket?(socket),
        do: Component.recover_state(socket),
        else: recover_view(socket)
    end)
  end

  defp recover_view(socket) do
    state = State.fetch!(socket, :recover_state)

    cond do
      Official.state?(state) -> Official.recover_state(socket, state)
      state.connected? and not state.fresh? -> recover(socket, state)
      true -> {:new, socket}
    end
  end

  defp recover(socket, %State{} = state) do
    result =
      with {:ok, record} <- fetch(socket, state),
           do: Record.check(record, expected(socket, state))

    case result do
      {:ok, record} ->
        recovered(socket, state, record, &renew(&1, state, record))

      # Written back under the new version at once, whatever the adapter could renew.
      {:migrated, record} ->
        recovered(socket, state, record, &rewrite(&1, state))

      :not_found ->
        drop(socket, state, :not_found)

      {:not_found, :wrong_view} ->
        :ok = rejected(socket, state, :wrong_view)
        leave(socket, state)

      {:not_found, reason} ->
        :ok = rejected(socket, state, reason)
        drop(socket, state, :not_found)

      {:error, reason} ->
        :ok = rejected(socket, state, reason)
        drop(socket, state, :error)
    end
  end

  defp recovered(socket, state, record, write_back) do
    :ok = Host.recovered(socket, record.components)

    socket = Phoenix.Component.assign(socket, record.assigns)
    socket = write_back.(State.put(socket, state))

    # Only components were stashed: nothing to recover for the view itself.
    if record.assigns == %{}, do: {:not_found, socket}, else: {:recovered, socket}
  end

  # One warning, and the reason on the recover span (an adapter failure as an adapter error too).
  defp rejected(socket, state, returned) do
    :ok = Failure.warn(socket.view, returned)
    LiveStash.Telemetry.rejected(socket, state, returned)
  end

  defp fetch(socket, %State{options: options} = state) do
    case options.adapter.fetch(socket, state) do
      :not_found -> fetch_legacy(socket, state)
      found -> found
    end
  rescue
    error -> {:error, error}
  end

  # A server row 0.1.0 wrote is keyed by that release's session binding (see
  # `LiveStash.Secret.legacy_binding/2`); the record check then has it written back.
  defp fetch_legacy(
         socket,
         %State{legacy_session: legacy, incoming: %{stash: {:server, _, _}}} = state
       )
       when is_binary(legacy),
       do: state.options.adapter.fetch(socket, %State{state | session: legacy})

  defp fetch_legacy(_socket, _state), do: :not_found

  # Migrating is the recovering node's business: the view's migrate goes into what the
  # record check expects only here (an ETS row check on the node that holds the row, say,
  # does without it).
  defp expected(socket, state),
    do: Map.put(Record.expected(socket, state), :migrate, migrate(socket.view, state.options))

  defp migrate(_view, %Options{version: nil}), do: nil
  defp migrate(_view, %Options{migrate: migrate}) when migrate != nil, do: migrate

  defp migrate(view, _options) do
    if function_exported?(view, :migrate_stash, 2), do: &view.migrate_stash/2
  end

  # Rewrite at once: it restarts the TTL and moves a row found on another node here.
  # An adapter that can renew in place (a browser lease) does so instead, unless the
  # record came from a reload replay: it names the old page's view id, and only a
  # rewrite binds it to this one, so that the next reconnect still recovers it.
  defp renew(socket, %State{options: %{adapter: adapter}} = state, record) do
    if function_exported?(adapter, :renew, 2) and record.view_id == state.view_id do
      {socket, state} = adapter.renew(socket, state)
      State.put(socket, state)
    else
      rewrite(socket, state)
    end
  end

  defp rewrite(socket, state), do: stash(State.put(socket, %State{state | last_assigns: nil}))

  defp drop(socket, state, status) do
    :ok = Host.failed(socket, status)
    {socket, state} = state.options.adapter.drop(socket, state)
    {status, State.put(socket, state)}
  end

  # Another view's stash: neither deleted nor cleared from the client, so its owner
  # still recovers it; this view moves to a stash of its own.
  defp leave(socket, state) do
    :ok = Host.failed(socket, :not_found)
    {socket, state} = state.options.adapter.leave(socket, state)
    {:not_found, State.put(socket, state)}
  end

  @doc """
  Forgets the stash of this LiveView (on the server and in the browser), so the next
  reconnect starts fresh (`:not_found`) until the next `stash/1`. On a LiveComponent's
  socket it forgets only that component's state.

      def handle_event("clear", _params, socket) do
        {:noreply, socket |> assign(:count, 0) |> LiveStash.reset_stash()}
      end
  """
  @spec reset_stash(Phoenix.LiveView.Socket.t()) :: Phoenix.LiveView.Socket.t()
  def reset_stash(socket) do
    LiveStash.Telemetry.reset(socket, fn ->
      if Component.socket?(socket), do: Component.reset_stash(socket), else: reset_view(socket)
    end)
  end

  defp reset_view(socket) do
    state = State.fetch!(socket, :reset_stash)

    cond do
      Official.state?(state) ->
        Official.reset_stash(socket, state)

      state.connected? ->
        :ok = AutoStash.cancel(socket)
        :ok = Host.reset(socket)
        {socket, state} = state.options.adapter.drop(socket, state)
        State.put(socket, %State{state | last_assigns: nil})

      true ->
        socket
    end
  end
end
