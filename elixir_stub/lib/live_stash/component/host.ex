defmodule LiveStash.Component.Host do
  @moduledoc false
  # The parent LiveView's side of component stashes: it opens the registry on a connected
  # mount, hands the recovered component states over to it, drops those no component of its
  # first render claimed, adds the component states to every record it writes, and starts
  # the removal sweep after each of its stashes.

  alias LiveStash.State
  alias LiveStash.Component.{Instance, Registry, Sweep, Writer}

  require Logger

  @hook :live_stash_components

  @doc "Opens the registry of a connected mount and hooks the parent's renders and messages."
  @spec attach(Phoenix.LiveView.Socket.t(), State.t()) :: Phoenix.LiveView.Socket.t()
  def attach(socket, %State{} = state) do
    :ok = Registry.open(socket, state)

    socket
    |> Phoenix.LiveView.attach_hook(@hook, :handle_info, &handle_info/2)
    |> Phoenix.LiveView.attach_hook(@hook, :after_render, &rendered/1)
  end

  # LiveView runs the update/2 of every component a render shows before the parent's
  # after_render hooks (`Phoenix.LiveView.Diff.render/3`, then `Lifecycle.after_render/1`
  # in the channel's render), so here every instance of the first render has had its
  # chance to claim (rule C1). Until then a sweep would drop every component.
  defp rendered(socket) do
    case Registry.fetch(socket) do
      %Registry{rendered?: false} = registry ->
        {dropped, registry} = Registry.settle(registry)
        :ok = Registry.put(socket, registry)

        # At once: the record must not keep them for a later reconnect. The parent's
        # events go after its components', so this token is the browser's last.
        if dropped == [], do: socket, else: drop(socket, registry, dropped)

      _ ->
        socket
    end
  end

  # Info, not a warning: a component removed before the reconnect lands here too. It
  # tells a developer whose components render late (after assign_async) why they start
  # fresh.
  defp drop(socket, registry, dropped) do
    Logger.info(
      "LiveStash dropped the stashed state of #{Enum.map_join(dropped, ", ", &Instance.describe(socket, &1))}: " <>
        "not rendered by the first connected render after the reconnect (removed, or rendered later)"
    )

    Writer.write!(socket, registry, "drop components missing from the first render")
  end

  @doc "Stores the parent's state in its socket and mirrors it for its components."
  @spec put_state(Phoenix.LiveView.Socket.t(), State.t()) :: Phoenix.LiveView.Socket.t()
  def put_state(socket, %State{} = state) do
    :ok = sync(socket, state)
    State.put(socket, state)
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
  def recovered(socket, components) do
    Registry.update(socket, fn registry ->
      Registry.stored(%{registry | outcome: :recovered, recovered: components}, components)
    end)
  end

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

  @doc """
  The parent wrote a record holding `components/1`: every pending component write is in
  it. Starts the removal sweep.
  """
  @spec written(Phoenix.LiveView.Socket.t()) :: :ok
  def written(socket) do
    :ok = Registry.update(socket, &Registry.written/1)
    Sweep.start(socket)
  end

  @doc "The parent reset its stash: component states go with it (instances stay recovered)."
  @spec reset(Phoenix.LiveView.Socket.t()) :: :ok
  def reset(socket),
    do:
      Registry.update(
        socket,
        &%{&1 | recovered: %{}, entries: %{}, stashed: %{}, stored: MapSet.new()}
      )
end
