defmodule LiveStash.Test.ViewServer do
  @moduledoc """
  Plays the LiveView channel process around the Phoenix doubles: mounts a view through
  its `on_mount` hooks and `mount/3`, drops the connect params afterwards (as LiveView
  does), runs `handle_info` and `after_render` hooks, and records every pushed event the
  way the channel would send it. Components are played by `LiveStash.Test.Components`.

  It ends as the channel does: on a closed socket it stops with `{:shutdown, :closed}`,
  on Phoenix's drain broadcast with `{:shutdown, :draining}`, and either way calls the
  view's `terminate/2` if it has one. A kill runs nothing.
  """

  use GenServer

  alias LiveStash.Test.Components
  alias Phoenix.LiveView.Socket

  @doc """
  Starts a view process. Options: `:params` (connect params; nil = disconnected
  mount), `:session`, `:id`.
  """
  def start(view, opts \\ []), do: GenServer.start(__MODULE__, {view, opts})

  @doc "Applies `fun` (a fun or `{module, function, args}`) to the socket, then renders."
  def update(pid, fun), do: GenServer.call(pid, {:update, fun})

  @doc "Runs a component's `handle_event/3` (a click with `phx-target={@myself}`)."
  def component_event(pid, module, id, event, params \\ %{}),
    do: GenServer.call(pid, {:component_event, {module, id}, event, params})

  @doc "The assigns of a component the LiveView has, or nil."
  def component(pid, module, id), do: GenServer.call(pid, {:component, {module, id}})

  def socket(pid), do: GenServer.call(pid, :socket)
  def events(pid), do: GenServer.call(pid, :events)

  @doc "The connect params the view was mounted with (what the browser held then)."
  def params(pid), do: GenServer.call(pid, :params)
  def assigns(pid), do: socket(pid).assigns

  @doc "The socket closes (the browser went away or lost the network)."
  def stop(pid), do: GenServer.stop(pid, {:shutdown, :closed})

  @doc "What Phoenix's socket drainer sends every channel when the endpoint shuts down."
  def drain(pid), do: send(pid, %Phoenix.Socket.Broadcast{event: "phx_drain"})

  @doc "The payloads of `event` pushed so far, oldest first."
  def payloads(pid, event), do: for([^event, payload] <- events(pid), do: payload)

  @impl true
  def init({view, opts}) do
    params = Keyword.get(opts, :params)
    session = Keyword.get(opts, :session, %{})

    socket = %Socket{
      id: Keyword.get(opts, :id, "phx-" <> Base.url_encode64(:crypto.strong_rand_bytes(6))),
      endpoint: LiveStash.Test.Endpoint,
      view: view,
      root_pid: self(),
      transport_pid: if(params, do: self()),
      private: %{
        connect_params: params || %{},
        lifecycle: view.__live__().lifecycle,
        live_temp: %{}
      }
    }

    socket =
      Enum.reduce(socket.private.lifecycle.mount, socket, fn %{id: {_mod, arg}} = hook, acc ->
        {:cont, acc} = hook.function.(arg, %{}, session, acc)
        acc
      end)

    {:ok, socket} = view.mount(%{}, session, socket)
    socket = %{socket | private: Map.delete(socket.private, :connect_params)}
    {:ok, render(%{socket: socket, events: [], params: params, components: %Components{}}, true)}
  end

  @impl true
  def handle_call({:update, fun}, _from, state) do
    socket = apply_fun(fun, state.socket)
    {:reply, :ok, render(%{state | socket: socket}, false)}
  end

  def handle_call({:component_event, {module, _id} = key, event, params}, _from, state) do
    fun = fn socket ->
      {:noreply, socket} = module.handle_event(event, params, socket)
      socket
    end

    case Components.write(state.components, key, fun) do
      {components, events} ->
        {:reply, :ok, %{state | components: components, events: state.events ++ events}}

      :error ->
        {:reply, {:error, :no_component}, state}
    end
  end

  def handle_call({:component, key}, _from, state) do
    socket = Components.socket(state.components, key)
    {:reply, socket && socket.assigns, state}
  end

  def handle_call(:socket, _from, state), do: {:reply, state.socket, state}
  def handle_call(:events, _from, state), do: {:reply, state.events, state}
  def handle_call(:params, _from, state), do: {:reply, state.params, state}

  @impl true
  # The channel handles these itself; the view's handle_info hooks never see them.
  def handle_info({:phoenix, :send_update, {key, assigns}}, state) do
    {components, events} = Components.send_update(state.components, key, assigns)
    {:noreply, %{state | components: components, events: state.events ++ events}}
  end

  def handle_info(%Phoenix.Socket.Broadcast{event: "phx_drain"}, state),
    do: {:stop, {:shutdown, :draining}, state}

  def handle_info({:__client__, :cids_destroyed, keys}, state),
    do: {:noreply, %{state | components: Components.destroyed(state.components, keys)}}

  def handle_info(msg, state) do
    socket =
      Enum.reduce_while(state.socket.private.lifecycle.handle_info, {:cont, state.socket}, fn
        hook, {:cont, acc} -> {:cont, hook.function.(msg, acc)}
        _hook, halted -> {:halt, halted}
      end)
      |> elem(1)

    {:noreply, render(%{state | socket: socket}, false)}
  end

  @impl true
  def terminate(reason, %{socket: %{view: view} = socket}) do
    if function_exported?(view, :terminate, 2), do: view.terminate(reason, socket), else: :ok
  end

  defp apply_fun({m, f, a}, socket), do: apply(m, f, [socket | a])
  defp apply_fun(fun, socket) when is_function(fun, 1), do: fun.(socket)

  # Like the channel: components render with the parent, then the parent's after_render
  # hooks run (only when something changed); the diff carries the components' events
  # first, then the parent's.
  defp render(%{socket: socket} = state, force?) do
    {socket, components, component_events} =
      if force? or socket.assigns.__changed__ != %{} do
        {components, events} = Components.render(state.components, socket)
        socket = Enum.reduce(socket.private.lifecycle.after_render, socket, & &1.function.(&2))
        {%{socket | assigns: %{socket.assigns | __changed__: %{}}}, components, events}
      else
        {socket, state.components, []}
      end

    pushed = Enum.reverse(socket.private.live_temp[:push_events] || [])
    socket = %{socket | private: %{socket.private | live_temp: %{}}}
    events = state.events ++ component_events ++ pushed
    %{state | socket: socket, events: events, components: components}
  end
end
