defmodule LiveStash.Test.Components do
  @moduledoc """
  Plays LiveView's component handling (`Phoenix.LiveView.Diff`) for the ViewServer:

    * a view that exports `components/1` lists `{module, id, assigns}` for its assigns;
      every parent render mounts the new ones (`mount/1` on a socket built from the
      parent's: same id, endpoint, view and pids, own assigns with `@myself` and `@flash`,
      own private without the parent's), runs `update/2` (or merges) on each listed one,
      then its `render/1` if something changed; all of that before the parent's
      `after_render` hooks (played by `LiveStash.Test.ViewServer`), as `Diff.render/3`
      runs before `Lifecycle.after_render/1` in the channel
    * a component missing from the list stays until the browser's `cids_destroyed`
      arrives, a round trip later: modelled as a message queued after the render
    * `send_update` reaches a component LiveView still has, and is a no-op otherwise,
      unless the module is not loaded at all: then it raises, as the channel does
    * pushed events are collected from each component socket, then its temp is cleared
  """

  require Logger

  alias Phoenix.LiveComponent.CID
  alias Phoenix.LiveView.Socket

  defstruct entries: %{}, next_cid: 1

  @doc "Renders the components the parent lists: `{components, events}`."
  def render(%__MODULE__{} = cs, %Socket{view: view} = parent) do
    listed =
      if function_exported?(view, :components, 1), do: view.components(parent.assigns), else: []

    listed_keys = for {module, id, _} <- listed, do: {module, id}
    duplicates = listed_keys -- Enum.uniq(listed_keys)
    if duplicates != [], do: raise("found duplicate ID for component #{inspect(duplicates)}")

    {cs, events} =
      Enum.reduce(listed, {cs, []}, fn {module, id, assigns}, {cs, events} ->
        {cs, socket} = ensure(cs, parent, module, id)
        socket = call_update(socket, module, Map.put(assigns, :id, id))
        {cs, _socket, pushed} = finish(cs, {module, id}, socket)
        {cs, events ++ pushed}
      end)

    gone = for {key, %{removed?: false}} <- cs.entries, key not in listed_keys, do: key
    if gone != [], do: send(self(), {:__client__, :cids_destroyed, gone})
    entries = Enum.reduce(gone, cs.entries, &put_in(&2[&1].removed?, true))
    {%{cs | entries: entries}, events}
  end

  @doc "Runs `fun` on a component's socket (an event or `send_update`): `{cs, events}`."
  def write(%__MODULE__{} = cs, key, fun) do
    case cs.entries do
      %{^key => %{socket: socket}} ->
        {cs, _socket, events} = finish(cs, key, fun.(socket))
        {cs, events}

      %{} ->
        :error
    end
  end

  @doc """
  A `send_update` message. Like the channel, it raises (crashing the LiveView) when the
  target is missing and its module is not even loaded.
  """
  def send_update(cs, {module, _id} = key, assigns) do
    case write(cs, key, &call_update(&1, module, assigns)) do
      :error ->
        unless function_exported?(module, :__info__, 1) do
          raise ArgumentError, "send_update failed (module #{inspect(module)} is not available)"
        end

        Logger.debug("send_update failed because component #{inspect(key)} does not exist")
        {cs, []}

      result ->
        result
    end
  end

  @doc "The browser's `cids_destroyed`: deletes what is still marked as removed."
  def destroyed(cs, keys) do
    entries =
      Enum.reduce(keys, cs.entries, fn key, acc ->
        case acc do
          %{^key => %{removed?: true}} -> Map.delete(acc, key)
          _ -> acc
        end
      end)

    %{cs | entries: entries}
  end

  def socket(%__MODULE__{entries: entries}, key) do
    case entries do
      %{^key => %{socket: socket}} -> socket
      _ -> nil
    end
  end

  defp ensure(cs, parent, module, id) do
    case cs.entries do
      %{{^module, ^id} => %{socket: socket} = entry} ->
        entries = Map.put(cs.entries, {module, id}, %{entry | removed?: false})
        {%{cs | entries: entries}, socket}

      %{} ->
        cid = cs.next_cid
        socket = mount(parent, module, cid)
        entry = %{cid: cid, socket: socket, removed?: false}
        {%{cs | next_cid: cid + 1, entries: Map.put(cs.entries, {module, id}, entry)}, socket}
    end
  end

  defp mount(parent, module, cid) do
    socket = %{
      parent
      | assigns: %{__changed__: %{flash: true}, myself: %CID{cid: cid}, flash: %{}},
        private: %{
          conn_session: nil,
          root_view: parent.view,
          live_temp: %{},
          children_cids: [],
          lifecycle: Phoenix.LiveView.__lifecycle__([])
        },
        redirected: nil
    }

    if Code.ensure_loaded?(module) and function_exported?(module, :mount, 1) do
      {:ok, socket} = module.mount(socket)
      socket
    else
      socket
    end
  end

  defp call_update(socket, module, assigns) do
    cond do
      function_exported?(module, :update_many, 1) ->
        [socket] = module.update_many([{assigns, socket}])
        socket

      function_exported?(module, :update, 2) ->
        case module.update(assigns, socket) do
          {:ok, %Socket{} = socket} -> socket
          other -> raise ArgumentError, "invalid result from update/2: #{inspect(other)}"
        end

      true ->
        Phoenix.Component.assign(socket, assigns)
    end
  end

  # Collect pushed events; if changed, render (the double discards the template) and run
  # after_render; clear changed and temp.
  defp finish(cs, {module, _id} = key, socket) do
    events = Enum.reverse(socket.private.live_temp[:push_events] || [])

    socket =
      if socket.assigns.__changed__ != %{} do
        if function_exported?(module, :render, 1), do: module.render(socket.assigns)
        socket = Enum.reduce(socket.private.lifecycle.after_render, socket, & &1.function.(&2))
        %{socket | assigns: %{socket.assigns | __changed__: %{}}}
      else
        socket
      end

    socket = %{socket | private: %{socket.private | live_temp: %{}}}
    {put_in(cs.entries[key].socket, socket), socket, events}
  end
end
