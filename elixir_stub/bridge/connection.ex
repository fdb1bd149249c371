defmodule LiveStash.Bridge.Connection do
  @moduledoc false
  # The loopback socket to the Node server ({:packet, 4}, one JSON object per frame). Calls
  # carry an id and get one reply under it; view calls are forwarded to the view's process,
  # which answers through here. A view process that dies fails its pending calls at once
  # and is reported, and when the socket closes the whole VM stops: the BEAM never outlives
  # its server, and the server never waits on a dead view.

  use GenServer

  alias LiveStash.Bridge.{JSON, Modules, Setup, View}

  def start(port), do: GenServer.start(__MODULE__, port)

  @impl true
  def init(port) do
    {:ok, socket} =
      :gen_tcp.connect({127, 0, 0, 1}, port, [:binary, packet: 4, active: true, nodelay: true])

    LiveStash.Bridge.Log.attach(self())
    {:ok, %{socket: socket, views: %{}, refs: %{}, pending: %{}, held: nil}}
  end

  @impl true
  def handle_info({:tcp, _socket, data}, state),
    do: {:noreply, dispatch(JSON.decode!(data), state)}

  def handle_info({:tcp_closed, _socket}, state), do: System.halt(0) && {:noreply, state}

  def handle_info({:reply, id, reply}, state) do
    write(state, %{re: id, ok: reply})
    {:noreply, release(%{state | pending: Map.delete(state.pending, id)})}
  end

  def handle_info({:push, ref, push}, state) do
    write(state, Map.put(push, :push, ref))
    {:noreply, state}
  end

  def handle_info({:log, level, text}, state) do
    write(state, %{log: level, text: text})
    {:noreply, state}
  end

  def handle_info({:DOWN, _mon, :process, pid, reason}, state) do
    case Map.pop(state.refs, pid) do
      {nil, _} ->
        {:noreply, state}

      {ref, refs} ->
        failed = for {id, ^ref} <- state.pending, do: id

        for id <- failed,
            do: write(state, %{re: id, error: "view #{ref} died: #{inspect(reason)}"})

        if abnormal?(reason), do: write(state, %{died: ref, reason: inspect(reason)})
        views = Map.delete(state.views, ref)
        state = %{state | refs: refs, views: views, pending: Map.drop(state.pending, failed)}
        {:noreply, release(state)}
    end
  end

  def handle_info(_other, state), do: {:noreply, state}

  # The clock moves only once everything asked before it is done (a keep-alive beat asked
  # just before must be signed at the old time); frames after it wait, in order.
  defp dispatch(frame, %{held: held} = state) when is_list(held),
    do: %{state | held: held ++ [frame]}

  defp dispatch(%{"op" => "advance"} = frame, state) when map_size(state.pending) > 0,
    do: %{state | held: [frame]}

  defp dispatch(%{"id" => id, "op" => op} = frame, state), do: handle(op, id, frame, state)

  defp release(%{held: [_ | _] = held, pending: pending} = state) when map_size(pending) == 0,
    do: Enum.reduce(held, %{state | held: nil}, &dispatch/2)

  defp release(state), do: state

  defp handle("setup", id, frame, state) do
    write(state, %{re: id, ok: Setup.run(frame)})
    state
  end

  defp handle("mount", id, %{"view" => ref} = frame, state) do
    module = Modules.view!(frame["module"], frame["options"])

    for [name, keys, auto?] <- frame["components"] || [],
        do: Modules.component!(name, keys, auto?)

    {:ok, pid} = View.start(self(), ref, module, Map.put(frame, "call", id))
    Process.monitor(pid)

    %{
      state
      | views: Map.put(state.views, ref, pid),
        refs: Map.put(state.refs, pid, ref),
        pending: Map.put(state.pending, id, ref)
    }
  rescue
    error ->
      write(state, %{re: id, error: Exception.message(error)})
      state
  end

  defp handle("secret", id, %{"secret" => secret}, state) do
    LiveStash.Bridge.Endpoint.put_secret(secret)
    write(state, %{re: id, ok: %{}})
    state
  end

  defp handle("advance", id, %{"ms" => ms}, state) do
    # Before any later frame is handled: a rejoin after the move sees the moved rows.
    Setup.advance_clock(ms)
    Setup.advance_redis(ms)
    write(state, %{re: id, ok: %{}})
    state
  end

  defp handle("stop", id, %{"view" => ref, "reason" => reason}, state) do
    case state.views do
      %{^ref => pid} when reason == "kill" -> Process.exit(pid, :kill)
      # terminate/2 may write a pending stash: never hold the other views up for it.
      %{^ref => pid} -> spawn(fn -> GenServer.stop(pid, {:shutdown, :closed}) end)
      %{} -> :ok
    end

    write(state, %{re: id, ok: %{}})
    state
  end

  defp handle(op, id, %{"view" => ref} = frame, state) do
    case state.views do
      %{^ref => pid} ->
        send(pid, {:call, id, op, frame})
        %{state | pending: Map.put(state.pending, id, ref)}

      %{} ->
        write(state, %{re: id, error: "no view #{ref}"})
        state
    end
  end

  defp abnormal?(:normal), do: false
  defp abnormal?(:killed), do: false
  defp abnormal?({:shutdown, _}), do: false
  defp abnormal?(_), do: true

  defp write(state, frame), do: :ok = :gen_tcp.send(state.socket, JSON.encode!(frame))
end
