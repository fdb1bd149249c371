defmodule LiveStash.Bridge.View do
  @moduledoc false
  # One joined LiveView of the Node server, as its channel process: the socket double, the
  # view module's on_mount hooks and mount/3 (LiveStash.recover_state/1), renders with their
  # components and after_render hooks, handle_info hooks (keep-alive, auto stash), and
  # terminate/2 on a closed socket. What the Node view decided (assign, stash, reset) arrives
  # as ops; what the library pushed goes back. Modelled on LiveStash.Test.ViewServer.

  use GenServer

  alias LiveStash.Bridge.Modules
  alias LiveStash.Test.{Components, ViewServer}
  alias Phoenix.LiveView.Socket

  def start(conn, ref, module, args), do: GenServer.start(__MODULE__, {conn, ref, module, args})

  @impl true
  def init({conn, ref, module, args}) do
    {:ok,
     %{
       conn: conn,
       ref: ref,
       module: module,
       socket: nil,
       mounted?: false,
       components: %Components{}
     }, {:continue, {:mount, args}}}
  end

  @impl true
  def handle_continue({:mount, args}, state) do
    call(state, args["call"], fn -> mount(state, args) end)
  end

  # A call from Node: `{:call, id, op, args}`; the reply (or the error) goes back under `id`.
  @impl true
  def handle_info({:call, id, op, args}, state),
    do: call(state, id, fn -> op(op, args, state) end)

  def handle_info({:__client__, :cids_destroyed, _keys}, state) do
    # The double's stand-in for the browser's answer; here the browser answers itself.
    {:noreply, state}
  end

  def handle_info({:phoenix, :send_update, {key, assigns}}, state) do
    {components, events} = Components.send_update(state.components, key, assigns)
    {:noreply, push(%{state | components: components}, events, false)}
  end

  def handle_info(msg, state), do: {:noreply, message(msg, state)}

  @impl true
  def terminate(reason, %{socket: %Socket{view: view} = socket}) do
    if function_exported?(view, :terminate, 2), do: view.terminate(reason, socket), else: :ok
  end

  def terminate(_reason, _state), do: :ok

  # `us`: the time spent here, in the library and its doubles, so the bridge's own cost (the
  # JSON, the loopback, the hop) shows apart from it.
  defp call(_state, id, fun) do
    {us, {state, reply}} = :timer.tc(fun)
    send(state.conn, {:reply, id, Map.put(reply, :us, us)})
    {:noreply, state}
  end

  defp mount(state, args) do
    %{module: module} = state
    params = args["params"] || %{}

    socket = %Socket{
      id: args["dom_id"],
      endpoint: LiveStash.Bridge.Endpoint,
      view: module,
      parent_pid: if(args["nested"], do: state.conn),
      root_pid: if(args["nested"], do: state.conn, else: self()),
      transport_pid: self(),
      private: %{connect_params: params, lifecycle: module.__live__().lifecycle, live_temp: %{}}
    }

    socket =
      Enum.reduce(socket.private.lifecycle.mount, socket, fn %{id: {_mod, arg}} = hook, acc ->
        {:cont, acc} = hook.function.(arg, %{}, %{}, acc)
        acc
      end)

    {:ok, socket} = module.mount(%{}, %{}, socket)
    socket = %{socket | private: Map.delete(socket.private, :connect_params)}
    status = socket.assigns.__bridge_status__
    stored = Enum.map(args["stored_keys"], &String.to_atom/1)
    recovered = if status == :recovered, do: Map.take(socket.assigns, stored)
    {%{state | socket: socket}, %{status: status, recovered: recovered}}
  end

  defp op("render", args, state) do
    socket = Enum.reduce(args["ops"] || [], state.socket, &apply_op/2)
    socket = Phoenix.Component.assign(socket, atoms(args["assigns"] || %{}))
    listed = Enum.map(args["components"] || [], &listed/1)
    socket = Phoenix.Component.assign(socket, :__bridge_components__, listed)
    first? = not state.mounted?
    {state, events} = render(%{state | socket: socket, mounted?: true}, first?)
    {state, %{events: events, components: component_states(state, listed)}}
  end

  defp op("component", %{"module" => name, "cid" => id, "ops" => ops}, state) do
    key = {Modules.atom(name), id}

    case Components.write(state.components, key, fn s -> Enum.reduce(ops, s, &apply_op/2) end) do
      {components, events} -> {%{state | components: components}, %{events: events}}
      :error -> {state, %{events: []}}
    end
  end

  defp op("destroyed", %{"keys" => keys}, state) do
    keys = for [name, id] <- keys, do: {Modules.atom(name), id}
    {%{state | components: Components.destroyed(state.components, keys)}, %{}}
  end

  # The beat runs before the reply, so whatever Node asks next (a clock move) comes after it.
  defp op("beat", _args, state) do
    case state.socket.private[LiveStash.State.private_key()] do
      %{keep_alive_ref: ref} when ref != nil -> {message({LiveStash.KeepAlive, ref}, state), %{}}
      _ -> {state, %{}}
    end
  end

  # A message through the view's handle_info hooks (keep-alive, auto stash), then a render.
  defp message(msg, state) do
    socket = ViewServer.run_handle_info_hooks(state.socket, msg)
    {state, events} = render(%{state | socket: socket}, false)
    push(state, events, match?({LiveStash.KeepAlive, _}, msg))
  end

  defp apply_op(["assign", assigns], socket), do: Phoenix.Component.assign(socket, atoms(assigns))
  defp apply_op(["stash"], socket), do: LiveStash.stash(socket)
  defp apply_op(["reset"], socket), do: LiveStash.reset_stash(socket)

  defp listed([name, id, props, initial]) do
    props = props |> atoms() |> Map.put(:__bridge_initial__, atoms(initial))
    {Modules.atom(name), id, props}
  end

  # Each listed component's status and stored assigns, for the Node side's new instances.
  defp component_states(state, listed) do
    for {module, id, _} <- listed, socket = Components.socket(state.components, {module, id}) do
      keys = module.__live_stash_component__().stored_keys
      [inspect(module), id, socket.assigns[:__bridge_status__], Map.take(socket.assigns, keys)]
    end
  end

  defp atoms(map), do: Map.new(map, fn {k, v} -> {String.to_atom(k), v} end)

  defp render(state, force?) do
    {socket, components, events} = ViewServer.render(state.socket, state.components, force?)
    {%{state | socket: socket, components: components}, events}
  end

  defp push(state, [], false), do: state

  defp push(state, events, beat?) do
    send(state.conn, {:push, state.ref, %{events: events, beat: beat?}})
    state
  end
end
