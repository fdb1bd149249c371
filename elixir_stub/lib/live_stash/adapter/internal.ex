defmodule LiveStash.Adapter.Internal do
  @moduledoc false
  # The richer protocol of live-stash's own adapters (ETS, BrowserMemory, Redis, Mnesia):
  # an adapter only stores and fetches `LiveStash.Record`s, and the checks (view, version,
  # session, migration) live in `LiveStash`, so every built-in adapter agrees on them.
  # Keyed pushes, leases, components, keep-alive and write-behind are built on it. A
  # third party implements the public `LiveStash.Adapter` instead (the official five
  # callbacks). The examples below are a server adapter over a key-value store `MyStore`.

  alias LiveStash.{Record, State}
  alias Phoenix.LiveView.Socket

  @doc """
  Prepares a connected mount, e.g. pushing the client the id it must hand back.

      @impl true
      def mount(socket, state) do
        state = %{state | stash_id: StashId.for_mount(state)}
        {Push.event(socket, Events.init_mnesia(), %{stashId: state.stash_id}), state}
      end
  """
  @callback mount(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @doc """
  Writes a record (already known to differ from the last one). An `{:error, reason}` is
  logged by `LiveStash.stash/1` and the next stash tries again.

      @impl true
      def put(socket, state, record) do
        with :ok <- MyStore.put(StashId.key(state), record, StashId.ttl_ms(state)),
             do: {:ok, socket}
      end
  """
  @callback put(Socket.t(), State.t(), Record.t()) :: {:ok, Socket.t()} | {:error, term()}

  @doc """
  Fetches what the client pointed at in its connect params: `:not_found` when nothing
  is stored, `{:not_found, reason}` when what was stored is no longer usable (an
  expired token), `{:error, reason}` when it is rejected or the store failed. Reasons
  are `LiveStash.Failure`'s atoms where one fits.

      @impl true
      def fetch(_socket, %{incoming: %{stash: {:server, _hint, _id}}} = state),
        do: MyStore.lookup(StashId.key(state))

      def fetch(_socket, _state), do: :not_found
  """
  @callback fetch(Socket.t(), State.t()) ::
              {:ok, term()} | :not_found | {:not_found, atom()} | {:error, term()}

  @doc """
  Forgets the stash, making sure the client forgets it too. A server adapter moves the
  view to a new id: a node that reads the old row before the delete reaches it finds
  nothing under the new one, and a late delete never removes what the view stashes next.

      @impl true
      def drop(socket, state) do
        _ = MyStore.delete(StashId.key(state))
        state = %{state | stash_id: StashId.new()}
        {Push.event(socket, Events.init_mnesia(), %{stashId: state.stash_id}), state}
      end
  """
  @callback drop(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @doc """
  Lets go of a stash that belongs to another view (another module, or a sibling
  instance the client handed the same stash): it stays in place, untouched, and this
  view moves to a fresh stash of its own, so neither overwrites nor deletes the other's.

      @impl true
      def leave(socket, state) do
        state = %{state | stash_id: StashId.new()}
        {Push.event(socket, Events.init_mnesia(), %{stashId: state.stash_id}), state}
      end
  """
  @callback leave(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @doc """
  Extends the stash's lifetime while the LiveView is alive (called every ttl/4).

      @impl true
      def keep_alive(socket, state) do
        MyStore.touch(StashId.key(state))
        socket
      end
  """
  @callback keep_alive(Socket.t(), State.t()) :: Socket.t()

  @doc """
  Optional: what the adapter needs supervised; started by the app only when the adapter
  is active.

      @impl true
      def child_specs, do: [MyStore.Repo, {MyStore.Sweeper, interval: 60_000}]
  """
  @callback child_specs() :: [Supervisor.child_spec() | module() | {module(), term()}]

  @doc """
  Optional: renews what was just recovered without writing it again (a browser token
  gets a lease). Adapters without it are rewritten at once after a recovery.

      @impl true
      def renew(socket, state), do: {push_lease(socket, state), state}
  """
  @callback renew(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @optional_callbacks child_specs: 0, renew: 2
end
