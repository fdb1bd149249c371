defmodule LiveStash.Component.Sweep do
  @moduledoc false
  # Drops the stashed state of components that left the page.
  #
  # LiveView tells no callback when a component is removed: the browser confirms the
  # removal (`cids_destroyed`) a round trip after the render, and LiveView then forgets
  # the component. So after each stash of the parent, every stashed component is pinged
  # with `Phoenix.LiveView.send_update/3` (handled, without touching user code, by the
  # update/2 that `use LiveStash.Component` wraps), followed by a message to the LiveView
  # itself. `send_update` to a component LiveView no longer has is a no-op, so whoever did
  # not answer by the time that message arrives is gone and is dropped from the stash.

  alias LiveStash.Component.{Registry, Writer}

  @ping :__live_stash_ping__

  @doc false
  def ping_key, do: @ping

  @doc "Pings every stashed component, once the LiveView has rendered."
  @spec start(Phoenix.LiveView.Socket.t()) :: :ok
  def start(socket) do
    case Registry.fetch(socket) do
      %Registry{rendered?: true} = registry -> ping(socket, registry)
      _ -> :ok
    end
  end

  defp ping(socket, registry) do
    ref = make_ref()
    keys = registry |> Registry.components() |> Map.keys()

    for {module, id} <- keys, component = loaded(module) do
      Phoenix.LiveView.send_update(self(), component, %{:id => id, @ping => ref})
    end

    send(self(), {__MODULE__, ref})
    Registry.put(socket, %{registry | round: {ref, MapSet.new(keys), MapSet.new()}})
  end

  # Only a loaded LiveStash component can be on the page; send_update to a module that
  # is not available would crash the LiveView.
  defp loaded(name) do
    module = String.to_existing_atom(name)
    if function_exported?(module, :__live_stash_component__, 0), do: module
  rescue
    ArgumentError -> nil
  end

  @doc "Records a component's answer to the ping `ref`."
  @spec ack(Phoenix.LiveView.Socket.t(), Registry.key(), reference()) :: :ok
  def ack(socket, key, ref) do
    Registry.update(socket, fn
      %Registry{round: {^ref, pinged, acked}} = registry ->
        %{registry | round: {ref, pinged, MapSet.put(acked, key)}}

      registry ->
        registry
    end)
  end

  @doc false
  # The parent's :handle_info hook.
  def handle_info({__MODULE__, ref}, socket) do
    case Registry.fetch(socket) do
      %Registry{round: {^ref, pinged, acked}} = registry ->
        gone = MapSet.difference(pinged, acked)
        registry = Enum.reduce(gone, %{registry | round: nil}, &Registry.forget(&2, &1))
        :ok = Registry.put(socket, registry)

        {:halt,
         if(Enum.empty?(gone),
           do: socket,
           else: Writer.write!(socket, registry, "drop removed components")
         )}

      _ ->
        {:halt, socket}
    end
  end

  def handle_info(_other, socket), do: {:cont, socket}
end
