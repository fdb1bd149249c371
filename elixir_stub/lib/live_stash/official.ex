defmodule LiveStash.Official do
  @moduledoc false
  # The core's side of an adapter written to the public `LiveStash.Adapter` behaviour, the
  # official library's five callbacks (`durable_stash` and other community adapters).
  # As the official core does, it calls `init_stash/3` on every mount with every option
  # but :adapter, and hands `stash/1`, `recover_state/1` and `reset_stash/1` to the
  # adapter, whose statuses it returns unchanged. What LiveStash adds around them is
  # auto_stash and telemetry. Keyed pushes, leases, components, keep-alive and
  # write-behind belong to the internal protocol (`LiveStash.Adapter.Internal`) and are
  # not offered.
  #
  # Failures: an `init_stash/3` that raises fails the mount, as in the official core (it
  # is where an adapter refuses its options). A raise or exit in the other three is
  # caught, where the official core would crash the LiveView: one warning, and the
  # status the official core defines for an adapter failure (`:error`) from
  # `recover_state/1`; `stash/1` and `reset_stash/1` leave the socket as it was.

  alias LiveStash.{AutoStash, Failure, Options, State, Telemetry}
  alias Phoenix.LiveView.Socket

  require Logger

  @statuses [:recovered, :not_found, :new, :error]

  @doc false
  # True for a module implementing the official behaviour rather than the internal one.
  # Called when a LiveView compiles, so it waits for an adapter compiled alongside it.
  @spec adapter?(term()) :: boolean()
  def adapter?(adapter) when is_atom(adapter) and not is_nil(adapter) do
    match?({:module, _}, Code.ensure_compiled(adapter)) and
      function_exported?(adapter, :init_stash, 3) and
      not function_exported?(adapter, :fetch, 2)
  end

  def adapter?(_other), do: false

  @doc false
  @spec state?(State.t()) :: boolean()
  def state?(%State{options: %Options{adapter_opts: opts}}), do: is_list(opts)

  @doc false
  def mount(socket, session, %Options{adapter: adapter} = options) do
    connected? = Phoenix.LiveView.connected?(socket)
    state = %State{options: options, view_id: socket.id, connected?: connected?}

    socket =
      socket
      # Where the official core keeps the adapter; adapters written for it may read it.
      |> Phoenix.LiveView.put_private(:live_stash_adapter, adapter)
      |> State.put(state)
      |> adapter.init_stash(session, options.adapter_opts)

    if connected?, do: AutoStash.attach(socket, state), else: socket
  end

  @doc false
  def stash(socket, %State{options: %{adapter: adapter}} = state) do
    put = fn ->
      case call(fn -> adapter.stash(socket) end) do
        {:ok, %Socket{} = socket} -> {:ok, socket}
        {:ok, other} -> {:error, {:bad_return, other}}
        error -> error
      end
    end

    case Telemetry.stash(socket, state, put) do
      {:ok, socket} ->
        :ok = AutoStash.written(socket)
        socket

      {:error, reason} ->
        Logger.warning(
          "LiveStash could not stash #{inspect(socket.view)}: #{inspect(adapter)}.stash/1 " <>
            "failed: #{describe(reason)}"
        )

        socket
    end
  end

  @doc false
  def recover_state(socket, %State{options: %{adapter: adapter}} = state) do
    case call(fn -> adapter.recover_state(socket) end) do
      {:ok, {status, %Socket{} = socket}} when status in @statuses ->
        {status, socket}

      {:ok, other} ->
        failed(socket, state, {:bad_return, other})

      {:error, reason} ->
        failed(socket, state, reason)
    end
  end

  @doc false
  def reset_stash(socket, %State{options: %{adapter: adapter}}) do
    :ok = AutoStash.cancel(socket)

    case call(fn -> adapter.reset_stash(socket) end) do
      {:ok, %Socket{} = socket} ->
        socket

      other ->
        reason = with {:ok, returned} <- other, do: {:bad_return, returned}

        Logger.warning(
          "LiveStash could not reset the stash of #{inspect(socket.view)}: " <>
            "#{inspect(adapter)}.reset_stash/1 failed: #{describe(reason)}"
        )

        socket
    end
  end

  defp failed(socket, state, reason) do
    :ok = Failure.warn(socket.view, reason)
    :ok = Telemetry.rejected(socket, state, reason)
    {:error, socket}
  end

  defp call(fun) do
    {:ok, fun.()}
  rescue
    exception -> {:error, exception}
  catch
    kind, reason when kind in [:exit, :throw] -> {:error, {kind, reason}}
  end

  defp describe({:bad_return, returned}),
    do: "it returned #{inspect(returned, limit: 5)}, not what LiveStash.Adapter specifies"

  defp describe(exception) when is_exception(exception), do: Exception.message(exception)
  defp describe(reason), do: inspect(reason)
end
