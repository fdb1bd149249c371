defmodule LiveStash.Component.Host do
  @moduledoc """
  The parent LiveView's side of component stashes: it opens the registry on a connected
  mount, hands the recovered component states over to it, adds them to every record it
  writes, and starts the removal sweep after each of its stashes.
  """

  alias LiveStash.State
  alias LiveStash.Component.{Registry, Sweep, Writer}

  @hook :live_stash_components

  @spec attach(Phoenix.LiveView.Socket.t(), State.t()) :: Phoenix.LiveView.Socket.t()
  def attach(socket, %State{} = state) do
    :ok = Registry.open(socket, state)

    socket
    |> Phoenix.LiveView.attach_hook(@hook, :handle_info, &handle_info/2)
    |> Phoenix.LiveView.attach_hook(@hook, :after_render, &rendered/1)
  end

  # Components appear with the first render; a sweep before it would drop them all.
  defp rendered(socket) do
    case Registry.fetch(socket) do
      %Registry{mounted?: false} = registry -> Registry.put(socket, %{registry | mounted?: true})
      _ -> :ok
    end

    socket
  end

  @doc "Mirrors the parent's state, so components can write the whole record."
  @spec sync(Phoenix.LiveView.Socket.t(), State.t()) :: :ok
  def sync(socket, %State{connected?: true} = state),
    do: Registry.update(socket, &%{&1 | state: state})

  def sync(_socket, _state), do: :ok

  @doc "The component states to write along with the parent's assigns."
  @spec components(Phoenix.LiveView.Socket.t()) :: map()
  def components(socket), do: Registry.components(Registry.fetch(socket))

  @doc "The parent recovered a record: its components wait for their instances."
  @spec recovered(Phoenix.LiveView.Socket.t(), map()) :: :ok
  def recovered(socket, components),
    do: Registry.update(socket, &%{&1 | outcome: :recovered, recovered: components})

  @doc "The parent's recovery found nothing or failed: its components get the same status."
  @spec failed(Phoenix.LiveView.Socket.t(), LiveStash.status()) :: :ok
  def failed(socket, status), do: Registry.update(socket, &%{&1 | outcome: status})

  @doc false
  def flush_message, do: {__MODULE__, :flush}

  @doc false
  def handle_info({__MODULE__, :flush}, socket) do
    case Registry.fetch(socket) do
      %Registry{flush?: true} = registry ->
        registry = %{registry | flush?: false}
        :ok = Registry.put(socket, registry)
        {:halt, Writer.write!(socket, registry, "stash a component")}

      _ ->
        {:halt, socket}
    end
  end

  def handle_info(message, socket), do: Sweep.handle_info(message, socket)

  @spec written(Phoenix.LiveView.Socket.t()) :: :ok
  def written(socket), do: Sweep.start(socket)

  @doc "The parent reset its stash: component states go with it (instances stay recovered)."
  @spec reset(Phoenix.LiveView.Socket.t()) :: :ok
  def reset(socket),
    do: Registry.update(socket, &%{&1 | recovered: %{}, entries: %{}, fingerprints: %{}})
end
