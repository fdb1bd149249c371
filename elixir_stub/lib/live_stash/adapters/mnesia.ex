defmodule LiveStash.Adapters.Mnesia do
  @moduledoc """
  Keeps the stash in a `ram_copies` Mnesia table replicated to every connected node
  that runs this adapter, so a reconnect on any node reads its local copy.

      config :live_stash,
        adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.Mnesia],
        mnesia_cleanup_interval: 60_000

  The browser only holds a random `stashId`; rows are keyed like the ETS adapter's
  (`LiveStash.Adapters.StashId`: bound to the per-view secret, and so to the session with
  `:session_key`), and the id is rotated on every fresh mount. No node hint is needed: every write has
  reached every replica before it returns, so the newest row is wherever we look.
  """

  @behaviour LiveStash.Adapter

  alias LiveStash.{Events, Push, Record, State}
  alias LiveStash.Adapters.Mnesia.{Replica, Sweeper, Table}
  alias LiveStash.Adapters.StashId

  @impl true
  def child_specs, do: [Replica, Sweeper]

  @impl true
  def mount(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.for_mount(state)})

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    with :ok <- Table.put(StashId.key(state), record, StashId.ttl_ms(state)), do: {:ok, socket}
  end

  @impl true
  def fetch(_socket, %State{incoming: %{stash: {:server, _hint, _id}}} = state) do
    Table.lookup(StashId.key(state))
  catch
    # The table is not here yet (the node is still joining): nothing we can vouch for.
    :exit, reason -> {:error, reason}
  end

  def fetch(_socket, _state), do: :not_found

  @impl true
  def drop(socket, %State{} = state) do
    case Table.delete(StashId.key(state)) do
      :ok -> {socket, state}
      # A row we could not delete must never be handed back: move the client to a new id.
      {:error, _reason} -> announce(socket, %State{state | stash_id: StashId.new()})
    end
  end

  @doc "Another view's row stays for its owner; this view takes a new id."
  @impl true
  def leave(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.new()})

  @impl true
  def keep_alive(socket, %State{} = state) do
    Table.touch(StashId.key(state))
    socket
  end

  defp announce(socket, %State{stash_id: id} = state) do
    {Push.event(socket, Events.init_mnesia(), %{stashId: id}), state}
  end
end
