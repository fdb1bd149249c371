defmodule LiveStash.Adapters.Mnesia do
  @moduledoc """
  Keeps the stash in a `ram_copies` Mnesia table replicated to every connected node
  that runs this adapter, so a reconnect on any node reads its local copy.

      config :live_stash,
        adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.Mnesia],
        mnesia_cleanup_interval: 60_000

  The browser only holds a random `stashId`; rows are keyed like the ETS adapter's
  (`LiveStash.Adapters.StashId`: bound to the per-view secret, and so to the session with
  `:session_key`), and the id is rotated on every fresh mount and whenever the stash is
  dropped (a reset, or a reconnect that recovered nothing). No node hint is needed: every
  write is a transaction that reaches every replica, so once it has landed the newest row
  is wherever we look.

  The transactions never run in the LiveView: they go through
  `LiveStash.Adapters.WriteBehind`, so a replica that is unreachable but not yet seen as
  down (up to `net_ticktime`) holds up the writer, not the clicks. A recovery on this
  node compares a pending write with the local copy and takes the newer.

  Rows carry their stash's generation (`LiveStash.Adapters.Generation`), and a write
  replaces a row only with a newer generation, compared inside its transaction: a write
  delayed on one node never lands over one written since from another.
  """

  @behaviour LiveStash.Adapter.Internal

  alias LiveStash.{Events, Push, Record, State}
  alias LiveStash.Adapters.Mnesia.{Replica, Sweeper, Table}
  alias LiveStash.Adapters.{Generation, RecoverRetry, StashId, WriteBehind}

  @behaviour WriteBehind

  @writer LiveStash.Adapters.Mnesia.Writer

  # The writer after the replica: it stops first, and flushes while the table is here.
  @impl true
  def child_specs, do: [Replica, Sweeper, {WriteBehind, name: @writer, store: __MODULE__}]

  @impl true
  def mount(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.for_mount(state)})

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    pending = {Generation.next(socket), record}

    with :ok <-
           WriteBehind.put(
             @writer,
             StashId.key(state),
             pending,
             StashId.ttl_ms(state),
             socket.view
           ),
         do: {:ok, socket}
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:server, _hint, _id}}} = state) do
    key = StashId.key(state)

    case WriteBehind.lookup(@writer, key) do
      {:ok, pending} -> recovered(socket, newer(pending, key))
      :deleted -> :not_found
      :none -> recovered(socket, RecoverRetry.run(&read(key, &1)))
    end
  end

  def fetch(_socket, _state), do: :not_found

  # A write pending on this node may be older than a row another node wrote since (the
  # client moved there meanwhile): the higher generation wins.
  defp newer({generation, record}, key) do
    case read(key, :infinity) do
      {:ok, _stored, theirs} = stored when theirs > generation -> stored
      _ -> {:ok, record, generation}
    end
  end

  # The table is not here yet (the node is still joining): retried, then nothing we can
  # vouch for.
  defp read(key, _max_wait) do
    Table.read(key)
  catch
    :exit, reason -> {:retry, {:error, reason}}
  end

  defp recovered(socket, {:ok, record, generation}) do
    :ok = Generation.continue(socket, generation)
    {:ok, record}
  end

  defp recovered(_socket, other), do: other

  # The delete is queued, and other nodes read their replica until it lands: only a new
  # id makes the reset hold everywhere at once, and keeps the late delete off what the
  # view stashes next (as ETS and Redis do).
  @impl true
  def drop(socket, %State{} = state) do
    _ = WriteBehind.delete(@writer, StashId.key(state), StashId.ttl_ms(state), socket.view)
    rotate(socket, state)
  end

  @doc "Another view's row stays for its owner; this view takes a new id."
  @impl true
  def leave(socket, %State{} = state), do: rotate(socket, state)

  @impl true
  def keep_alive(socket, %State{} = state) do
    _ = WriteBehind.touch(@writer, StashId.key(state), StashId.ttl_ms(state), socket.view)
    socket
  end

  @impl true
  def write(key, {:put, {generation, record}, ttl_ms}),
    do: Table.put(key, record, ttl_ms, generation)

  def write(key, :delete), do: Table.delete(key)

  def write(key, {:touch, _ttl_ms}) do
    # A row that is gone or expired stays so: a late refresh resurrects nothing.
    with :not_found <- Table.touch(key), do: :ok
  end

  defp rotate(socket, state), do: announce(socket, %State{state | stash_id: StashId.new()})

  defp announce(socket, %State{stash_id: id} = state) do
    {Push.event(socket, Events.init_mnesia(), %{stashId: id}), state}
  end
end
