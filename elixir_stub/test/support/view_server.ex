defmodule LiveStash.Test.ViewServer do
  @moduledoc """
  Plays the LiveView channel process around the Phoenix doubles: mounts a view through
  its `on_mount` hooks and `mount/3`, drops the connect params afterwards (as LiveView
  does), runs `handle_info` and `after_render` hooks, and records every pushed event the
  way the channel would send it. Components are played by `LiveStash.Test.Components`.

  `socket.id` is set as LiveView sets it:

    * a root view joins the topic `"lv:" <> id`, where `id` is the DOM id of its dead
      render (`Phoenix.LiveView.Utils.random_id/0`: "phx-" and 16 url-safe base64
      characters); the channel checks the signed session's id against the topic and
      uses it. A reconnect of the same page joins with the same id; a full reload
      renders, and so joins with, a new one.
    * a nested view gets `to_string/1` of the `:id` given to `live_render/3` (required:
      LiveView raises without it), the same on every render of the parent, so the same
      across reconnects and reloads. Its `parent_pid` is the parent's process.

  It ends as the channel does: on a closed socket it stops with `{:shutdown, :closed}`,
  on Phoenix's drain broadcast with `{:shutdown, :draining}`, and either way calls the
  view's `terminate/2` if it has one. A kill runs nothing.
  """

  use GenServer

  alias LiveStash.Test.Components
  alias Phoenix.LiveView.Socket

  @doc """
  Starts a view process. Options: `:params` (connect params; nil = disconnected
  mount), `:session`, and either `:id` (a root view's dead-render id, which it joins as
  `"lv:" <> id`; a new random one by default) or `:live_render` (a nested view: the
  options given to `live_render/3`, e.g. `[id: "a"]`; the caller plays the parent).
  """
  def start(view, opts \\ []) do
    opts = Keyword.put_new(opts, :parent, self())
    GenServer.start(__MODULE__, {view, opts})
  end

  @doc """
  What makes the view the same view on the page again (`[id: id]` for a root view,
  `[live_render: opts]` for a nested one): a reconnect mounts it with these.
  """
  def identity(pid), do: GenServer.call(pid, :identity)

  @doc "A root view's DOM id, as `Phoenix.LiveView.Utils.random_id/0` makes it."
  def random_id do
    bytes =
      <<System.system_time(:nanosecond)::64, :rand.uniform(65_535)::16,
        :erlang.unique_integer()::16>>

    String.replace("phx-" <> Base.url_encode64(bytes), ["/", "+"], "-")
  end

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

    {identity, id, parent_pid} = join(opts)

    socket = %Socket{
      id: id,
      endpoint: LiveStash.Test.Endpoint,
      view: view,
      parent_pid: parent_pid,
      root_pid: parent_pid || self(),
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
    state = %{socket: socket, events: [], params: params, components: %Components{}}
    {:ok, render(Map.put(state, :identity, identity), true)}
  end

  defp join(opts) do
    case Keyword.fetch(opts, :live_render) do
      {:ok, live_render} ->
        child_id =
          live_render[:id] ||
            raise ArgumentError,
                  "an :id is required when rendering child LiveView. " <>
                    "The :id must uniquely identify the child."

        {[live_render: live_render], to_string(child_id), Keyword.fetch!(opts, :parent)}

      :error ->
        "lv:" <> id = "lv:" <> Keyword.get_lazy(opts, :id, &random_id/0)
        {[id: id], id, nil}
    end
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
  def handle_call(:identity, _from, state), do: {:reply, state.identity, state}

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
    socket = run_handle_info_hooks(state.socket, msg)
    {:noreply, render(%{state | socket: socket}, false)}
  end

  @doc "Runs the socket's handle_info hooks on `msg` until one halts; returns the socket."
  def run_handle_info_hooks(socket, msg) do
    Enum.reduce_while(socket.private.lifecycle.handle_info, {:cont, socket}, fn
      hook, {:cont, acc} -> {:cont, hook.function.(msg, acc)}
      _hook, halted -> {:halt, halted}
    end)
    |> elem(1)
  end

  @impl true
  def terminate(reason, %{socket: %{view: view} = socket}) do
    if function_exported?(view, :terminate, 2), do: view.terminate(reason, socket), else: :ok
  end

  defp apply_fun({m, f, a}, socket), do: apply(m, f, [socket | a])
  defp apply_fun(fun, socket) when is_function(fun, 1), do: fun.(socket)

  defp render(state, force?) do
    {socket, components, events} = render(state.socket, state.components, force?)
    %{state | socket: socket, events: state.events ++ events, components: components}
  end

  @doc """
  Renders as the channel does: components render with the parent, then the parent's
  after_render hooks run (only when something changed, or when `force?`); returns the
  socket, the components and the events the diff carries, the components' first, then the
  parent's. (The test server's bridge renders its views with it too.)
  """
  def render(socket, %Components{} = components, force?) do
    {socket, components, component_events} =
      if force? or socket.assigns.__changed__ != %{} do
        {components, events} = Components.render(components, socket)
        socket = Enum.reduce(socket.private.lifecycle.after_render, socket, & &1.function.(&2))
        {%{socket | assigns: %{socket.assigns | __changed__: %{}}}, components, events}
      else
        {socket, components, []}
      end

    pushed = Enum.reverse(socket.private.live_temp[:push_events] || [])
    socket = %{socket | private: %{socket.private | live_temp: %{}}}
    {socket, components, component_events ++ pushed}
  end
end
