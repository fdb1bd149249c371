defmodule LiveStash.Adapters.ETS do
  @moduledoc """
  Keeps the stash in a node-local ETS table (the default adapter, always active).

  The browser only holds a random `stashId` and an encrypted node hint. Rows are keyed
  as `LiveStash.Adapters.StashId` says: bound to the per-view secret (and so to the
  session with `:session_key`), and the id is rotated on every fresh mount and whenever
  the stash is dropped (a reset, or a reconnect that recovered nothing), so an old copy
  left on a node we could not reach never competes with the writes that follow.

  In a cluster a join reaches at most the node its hint names; a hinted node that does
  not answer within 2 s counts as down (see `LiveStash.Adapters.ETS.Cluster`).

      use LiveStash, stored_keys: [:count]
      # the same, spelled out:
      use LiveStash, adapter: LiveStash.Adapters.ETS, stored_keys: [:count]
  """

  @behaviour LiveStash.Adapter.Internal

  alias LiveStash.{Events, Push, Record, State}
  alias LiveStash.Adapters.ETS.{Cluster, NodeHint, Table}
  alias LiveStash.Adapters.StashId

  @impl true
  def child_specs, do: [Table]

  @impl true
  def mount(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.for_mount(state)})

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    :ok = Table.put(StashId.key(state), record, StashId.ttl_ms(state))
    {:ok, socket}
  rescue
    error in ArgumentError -> {:error, error}
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:server, hint, _id}}} = state) do
    Cluster.lookup(
      StashId.key(state),
      Record.expected(socket, state),
      NodeHint.decode(socket.endpoint, hint)
    )
  end

  def fetch(_socket, _state), do: :not_found

  @impl true
  def drop(socket, %State{} = state) do
    :ok = Table.delete(StashId.key(state))
    rotate(socket, state)
  rescue
    # Without the table the old row cannot be reached either.
    ArgumentError -> rotate(socket, state)
  end

  # A copy of the old id that another node may still hold (it did not answer) is never
  # looked up again, so it cannot come back over what this view writes next.
  defp rotate(socket, state), do: announce(socket, %State{state | stash_id: StashId.new()})

  @doc "Another view's row stays for its owner; this view takes a new id."
  @impl true
  def leave(socket, %State{} = state),
    do: rotate(socket, state)

  @impl true
  def keep_alive(socket, %State{} = state) do
    Table.touch(StashId.key(state))
    socket
  rescue
    # The table is restarting: there is nothing to refresh, and the view must live on.
    ArgumentError -> socket
  end

  defp announce(socket, %State{stash_id: id} = state) do
    payload = %{node: NodeHint.encode(socket.endpoint), stashId: id}
    {Push.event(socket, Events.init_ets(), payload), state}
  end
end
