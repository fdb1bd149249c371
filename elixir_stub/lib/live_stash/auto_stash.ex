defmodule LiveStash.AutoStash do
  @moduledoc """
  `auto_stash`: what it writes, and when, depends on the adapter.

  **BrowserMemory** pushes with the render that changed a stored assign: the push rides
  that render's own reply, and a keyed stash (our client) carries only the keys that
  changed, so there is nothing to save by holding it back. Held back, it would be lost:
  a LiveView whose socket dropped can push nothing more, so the last changes before a
  network drop would be gone. `auto_stash_interval` does not apply.

  **Server stores** (ETS, Redis, Mnesia) are coalesced. A render that changed a stored
  assign arms one timer; when it fires, `auto_stash_interval` ms later (default 500), the
  view is stashed once with what its assigns hold then. A form that sends an event per
  keystroke costs one stash per interval, not one per keystroke. `auto_stash_interval: 0`
  stashes after every render. LiveComponents with `auto_stash` share their parent's timer
  and interval.

  An explicit `LiveStash.stash/1` still writes at once, and what was pending goes with
  it; `LiveStash.reset_stash/1` drops what was pending, so the reset wins.

  A write the store refuses (its writer restarting: `{:error, :not_running}`) stays
  pending: it is retried, with what the assigns hold then, after 100 ms, doubling up to
  5 s, at most five times; a later change arms the timer again, and `terminate/2` writes
  whatever is still pending. Each refused write logs one warning.

  What is pending is written, not lost, when the LiveView ends normally: `use LiveStash`
  defines the LiveView's `terminate/2` callback (around yours, if you have one), which
  LiveView calls when the socket closes, on `phx_leave`, a redirect, when the parent
  LiveView exits, and when the endpoint drains its sockets at a graceful shutdown. The
  server adapters hand the write to their writer (`LiveStash.Adapters.WriteBehind`),
  which finishes it before the node stops; ETS writes at once. A crash or a kill loses
  the changes younger than the interval.
  """

  alias LiveStash.Adapters.BrowserMemory
  alias LiveStash.Component.{Registry, Writer}
  alias LiveStash.State

  require Logger

  @hook :live_stash_auto_stash

  @max_retries 5
  @first_retry_ms 100
  @max_retry_ms 5_000

  @doc false
  # Defines terminate/2 in the LiveView (LiveView offers no terminate hook to on_mount).
  defmacro __before_compile__(env) do
    if Module.defines?(env.module, {:terminate, 2}) do
      quote do
        defoverridable terminate: 2

        def terminate(reason, socket) do
          LiveStash.AutoStash.terminate(socket)
          super(reason, socket)
        end
      end
    else
      quote do
        @doc false
        def terminate(_reason, socket), do: LiveStash.AutoStash.terminate(socket)
      end
    end
  end

  @doc "On a connected mount: the timer's handler, and with `auto_stash` the render hook."
  @spec attach(Phoenix.LiveView.Socket.t(), State.t()) :: Phoenix.LiveView.Socket.t()
  def attach(socket, %State{options: options}) do
    # Components with auto_stash use the timer too, whatever the parent's option.
    socket = Phoenix.LiveView.attach_hook(socket, @hook, :handle_info, &handle_info/2)

    if options.auto_stash,
      do: Phoenix.LiveView.attach_hook(socket, @hook, :after_render, &rendered/1),
      else: socket
  end

  @doc false
  # How long a change waits before it is written: never, in the browser (see above).
  @spec interval(LiveStash.Options.t()) :: non_neg_integer()
  def interval(%{adapter: BrowserMemory}), do: 0
  def interval(%{auto_stash_interval: interval}), do: interval

  defp rendered(socket) do
    %State{options: options} = State.fetch!(socket, :stash)

    cond do
      interval(options) == 0 ->
        LiveStash.stash(socket)

      Enum.any?(options.stored_keys, &Phoenix.Component.changed?(socket, &1)) ->
        pending(socket, :view?, options.auto_stash_interval)

      true ->
        socket
    end
  end

  @doc false
  # A component's auto stash put its state into the registry: the parent writes it when
  # the timer fires.
  @spec components_changed(Phoenix.LiveView.Socket.t(), non_neg_integer()) :: :ok
  def components_changed(socket, interval) do
    _ = pending(socket, :components?, interval)
    :ok
  end

  # What is pending lives in the process dictionary, keyed by the LiveView's id: a
  # component socket carries that id but cannot reach the parent's socket.
  # A change while a retry is armed rides that retry; one after the retries gave up
  # starts a new round.
  defp pending(socket, flag, interval) do
    key = key(socket)
    entry = Process.get(key) || %{timer: nil, view?: false, components?: false, retries: 0}
    entry = if entry.timer, do: entry, else: %{entry | timer: arm(interval), retries: 0}
    Process.put(key, Map.put(entry, flag, true))
    socket
  end

  defp arm(interval) do
    ref = make_ref()
    Process.send_after(self(), {__MODULE__, ref}, interval)
    ref
  end

  @doc false
  def handle_info({__MODULE__, ref}, socket) do
    # A timer from before a stash or reset carries an old ref: nothing is pending for it.
    case Process.get(key(socket)) do
      %{timer: ^ref} = entry -> {:halt, flush(socket, entry, false)}
      _ -> {:halt, socket}
    end
  end

  def handle_info(_message, socket), do: {:cont, socket}

  defp flush(socket, entry, also_components?) do
    {view_failed?, socket} = if entry.view?, do: stash_view(socket), else: {false, socket}

    # A view stash that wrote cleared the entry (`written/1`): its record held the
    # components too. Otherwise they are written here.
    components? = match?(%{components?: true}, Process.delete(key(socket))) or also_components?
    {result, socket} = if components?, do: write_components(socket), else: {:ok, socket}

    if view_failed? or result == :error,
      do: retry(socket, entry, view_failed?, result == :error),
      else: socket
  end

  # stash/1 logs a refused write and leaves `last_assigns` behind the assigns; an adapter
  # that raises is refused too: the timer is ours, the LiveView asked for nothing.
  defp stash_view(socket) do
    socket = LiveStash.stash(socket)
    %State{options: options, last_assigns: last} = State.fetch!(socket, :stash)
    {Map.take(socket.assigns, options.stored_keys) !== last, socket}
  rescue
    error ->
      Logger.warning("LiveStash could not stash #{inspect(socket.view)}: #{inspect(error)}")
      {true, socket}
  end

  defp write_components(socket) do
    case Registry.fetch(socket) do
      %Registry{} = registry -> Writer.write_logged(socket, registry, "stash the components")
      nil -> {:ok, socket}
    end
  end

  defp retry(socket, entry, view?, components?) do
    retries = Map.get(entry, :retries, 0)
    timer = if retries < @max_retries, do: arm(backoff(retries))
    entry = %{timer: timer, view?: view?, components?: components?, retries: retries + 1}
    Process.put(key(socket), entry)
    socket
  end

  defp backoff(retries), do: min(@first_retry_ms * Integer.pow(2, retries), @max_retry_ms)

  @doc false
  # The whole record was just written: nothing is pending any more.
  @spec written(Phoenix.LiveView.Socket.t()) :: :ok
  def written(socket) do
    Process.delete(key(socket))
    :ok
  end

  @doc false
  # reset_stash/1: what was pending goes with the reset, so the reset wins.
  @spec cancel(Phoenix.LiveView.Socket.t()) :: :ok
  def cancel(socket), do: written(socket)

  @doc false
  # From the LiveView's terminate/2: writes what is pending (a component write deferred
  # to after the render included). Never raises: the LiveView is on its way out anyway.
  @spec terminate(Phoenix.LiveView.Socket.t()) :: :ok
  def terminate(socket) do
    with %State{connected?: true, options: %{adapter: adapter}} when adapter != BrowserMemory <-
           socket.private[State.private_key()] do
      entry = Process.get(key(socket)) || %{view?: false}
      deferred? = match?(%Registry{flush?: true}, Registry.fetch(socket))
      _ = flush(socket, entry, deferred?)
    end

    :ok
  rescue
    error ->
      Logger.warning(
        "LiveStash could not write the pending stash of #{inspect(socket.view)} as it " <>
          "terminated: #{Exception.message(error)}"
      )

      :ok
  end

  defp key(socket), do: {__MODULE__, socket.id}
end
