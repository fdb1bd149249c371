defmodule LiveStash.Component.Registry do
  @moduledoc false
  # What one connected LiveView process knows about its components' stashes.
  #
  # LiveComponents run in their parent LiveView's process, but their socket is their own:
  # they cannot see the parent's `socket.private`. So the parent keeps this in the process
  # dictionary, keyed by its socket id (a component socket carries the parent's id).
  #
  #   * `state` - the parent's `LiveStash.State`, mirrored on every `Component.Host.put_state/2`
  #   * `outcome` - how the parent's recovery went (`:pending` until it ran)
  #   * `recovered` - stashed component states nobody has claimed yet; emptied when the
  #     parent's first connected render ends (rule C1 in `LiveStash.Component`)
  #   * `entries` - the last stashed state of each live component
  #   * `stashed` - each component's stored assigns as last written (or recovered), to
  #     skip a stash that changed nothing
  #   * `claimed` - keys a component instance already recovered or stashed
  #   * `stored` - keys the last record written (or recovered) holds a state for, so a
  #     fresh instance knows when that record must be rewritten without its key (rule C2)
  #   * `rendered?` - the parent's first connected render is over
  #   * `flush?` - a write from update/2 is waiting for the parent (see `Component.Host`)

  alias LiveStash.State

  @max_components 50

  defstruct [
    :view,
    :state,
    outcome: :pending,
    recovered: %{},
    entries: %{},
    stashed: %{},
    claimed: MapSet.new(),
    stored: MapSet.new(),
    refused: MapSet.new(),
    rendered?: false,
    flush?: false,
    round: nil
  ]

  @type key :: {binary(), term()}
  @type t :: %__MODULE__{}

  @doc "How many components one LiveView keeps in its stash at most."
  def max_components, do: @max_components

  @doc "Starts the registry of a connected LiveView (from its `on_mount`)."
  @spec open(Phoenix.LiveView.Socket.t(), State.t()) :: :ok
  def open(socket, %State{} = state) do
    outcome = if state.fresh?, do: :new, else: :pending
    put(socket, %__MODULE__{view: socket.view, state: state, outcome: outcome})
  end

  @doc "The registry of the LiveView `socket` belongs to, or nil."
  @spec fetch(Phoenix.LiveView.Socket.t()) :: t() | nil
  def fetch(%{id: id, view: view}) do
    case Process.get({__MODULE__, id}) do
      %__MODULE__{view: ^view} = registry -> registry
      _ -> nil
    end
  end

  @doc "Stores the registry of the LiveView `socket` belongs to."
  @spec put(Phoenix.LiveView.Socket.t(), t()) :: :ok
  def put(%{id: id}, %__MODULE__{} = registry) do
    Process.put({__MODULE__, id}, registry)
    :ok
  end

  @doc "Applies `fun` to the registry, if there is one."
  @spec update(Phoenix.LiveView.Socket.t(), (t() -> t())) :: :ok
  def update(socket, fun) do
    case fetch(socket) do
      nil -> :ok
      registry -> put(socket, fun.(registry))
    end
  end

  @doc "What goes into the record: unclaimed recovered states, overridden by live ones."
  @spec components(t() | nil) :: %{key() => map()}
  def components(nil), do: %{}
  def components(%__MODULE__{} = registry), do: Map.merge(registry.recovered, registry.entries)

  @doc """
  Recovers `key` for a component instance: `{status, assigns or nil, registry}`. Only
  states still in `recovered` can be claimed, so only during the parent's first connected
  render (see `settle/1`). A key an instance of this process already claimed or stashed
  gets `:new` and keeps what that stash wrote.
  """
  @spec claim(t(), key()) :: {LiveStash.status() | :pending, map() | nil, t()}
  def claim(%__MODULE__{} = registry, key) do
    already? = MapSet.member?(registry.claimed, key)
    {recovered, left} = Map.pop(registry.recovered, key)
    registry = %{registry | claimed: MapSet.put(registry.claimed, key), recovered: left}

    case {registry.outcome, recovered} do
      {:recovered, assigns} when is_map(assigns) and not already? ->
        {:recovered, assigns, %{registry | entries: Map.put(registry.entries, key, assigns)}}

      {outcome, _} ->
        {missed(outcome, already?), nil, registry}
    end
  end

  # A second instance of a key is a new component; `:pending` is left to the caller.
  defp missed(_outcome, true = _already?), do: :new
  defp missed(:recovered, false), do: :not_found
  defp missed(outcome, false), do: outcome

  @doc """
  The parent's first connected render is over (rule C1): the recovered states no instance
  of it claimed are dropped. Returns the keys whose state left the record with them.
  """
  @spec settle(t()) :: {[key()], t()}
  def settle(%__MODULE__{} = registry) do
    dropped = for {key, _} <- registry.recovered, not Map.has_key?(registry.entries, key), do: key
    {dropped, %{registry | recovered: %{}, rendered?: true}}
  end

  @doc """
  An instance of `key` started after the parent's first connected render (rule C2): it
  starts fresh, so whatever was known about the key goes. True when the last record
  written holds a state for it, which must then be rewritten.
  """
  @spec restart(t(), key()) :: {boolean(), t()}
  def restart(%__MODULE__{} = registry, key),
    do: {MapSet.member?(registry.stored, key), forget(registry, key)}

  @doc "A record holding `components` was recovered: see `stored`."
  @spec stored(t(), map()) :: t()
  def stored(%__MODULE__{} = registry, components),
    do: %{registry | stored: components |> Map.keys() |> MapSet.new()}

  @doc "A record holding `components/1` was written: nothing waits to be flushed any more."
  @spec written(t()) :: t()
  def written(%__MODULE__{} = registry),
    do: %{stored(registry, components(registry)) | flush?: false}

  @doc "Drops everything known about `key`."
  @spec forget(t(), key()) :: t()
  def forget(%__MODULE__{} = registry, key) do
    %{
      registry
      | recovered: Map.delete(registry.recovered, key),
        entries: Map.delete(registry.entries, key),
        stashed: Map.delete(registry.stashed, key)
    }
  end

  @doc "True when `key` is new and the view already keeps the maximum number of components."
  @spec full?(t(), key()) :: boolean()
  def full?(%__MODULE__{} = registry, key) do
    components = components(registry)
    not Map.has_key?(components, key) and map_size(components) >= @max_components
  end
end
