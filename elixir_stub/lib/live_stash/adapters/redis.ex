defmodule LiveStash.Adapters.Redis do
  @moduledoc """
  Keeps the stash in Redis, shared by every node that points at the same server.

      # config/config.exs (adapters are checked when your LiveViews compile)
      config :live_stash, adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.Redis]

      # config/runtime.exs: a URI, {uri, opts} or a keyword list
      # (see LiveStash.Adapters.Redis.Config); timeout: bounds every call (ms, default 500)
      config :live_stash, redis: System.fetch_env!("REDIS_URL")

      # the LiveView
      use LiveStash, adapter: LiveStash.Adapters.Redis, stored_keys: [:count]

  The browser only holds a random `stashId`. The Redis key is `live_stash:` plus the
  hex of the row key every server adapter uses (`LiveStash.Adapters.StashId`: bound to
  the per-view secret, so with `:session_key` another session holding the id still
  finds nothing). The value is the same `LiveStash.Record` a browser token carries,
  behind a MAC (`LiveStash.Adapters.Redis.Row`), written with a TTL (`PX`) on every
  write and pushed forward by the keep-alive. A value whose MAC does not verify is never
  decoded: it is `:error` (`:tampered`), logged, and dropped.

  Across nodes there is one copy of each stash, the one in Redis, and every write
  replaces it: a reconnect that lands on any node reads the newest write or nothing,
  with no node hint and no stale local copy to fall back on.

  Writes (stash, delete, keep-alive) never run in the LiveView: they go through
  `LiveStash.Adapters.WriteBehind`, so a Redis that stalls or is down costs a click
  nothing; the writer logs one warning per stash it cannot write and writes its newest
  state once Redis answers. A recovery on this node reads a pending write first, then
  Redis (`GET`, bounded by the configured `:timeout`; a failed read is `:error`). A
  dropped stash also moves the view to a new id.
  """

  @behaviour LiveStash.Adapter.Internal

  alias LiveStash.{Events, Push, Record, State}
  alias LiveStash.Adapters.Redis.{Client, Row}
  alias LiveStash.Adapters.{StashId, WriteBehind}

  @behaviour WriteBehind

  @prefix "live_stash:"
  @writer LiveStash.Adapters.Redis.Writer

  # The writer after the connection: it stops first, and flushes while Redis is reachable.
  @impl true
  def child_specs, do: [Client, {WriteBehind, name: @writer, store: __MODULE__}]

  @impl true
  def mount(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.for_mount(state)})

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    key = key(state)
    value = Row.seal(socket.endpoint, state.options.secret, key, record)

    with :ok <- WriteBehind.put(@writer, key, value, StashId.ttl_ms(state), socket.view),
         do: {:ok, socket}
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:server, _hint, _id}}} = state) do
    key = key(state)

    case read(key) do
      {:ok, nil} -> :not_found
      {:ok, value} when is_binary(value) -> Row.open(socket.endpoint, state.options.secret, key, value)
      {:ok, other} -> {:error, {:unexpected_reply, other}}
      # Logged once, with the reason, by LiveStash's recovery.
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

  def fetch(_socket, _state), do: :not_found

  # A write still pending on this node is newer than what Redis holds.
  defp read(key) do
    case WriteBehind.lookup(@writer, key) do
      {:ok, value} -> {:ok, value}
      :deleted -> {:ok, nil}
      :none -> Client.command(["GET", key])
    end
  end

  @impl true
  def drop(socket, %State{} = state) do
    # Should the writer be restarting, the new id alone keeps the old row unreachable.
    _ = WriteBehind.delete(@writer, key(state), StashId.ttl_ms(state), socket.view)
    rotate(socket, state)
  end

  @doc "Another view's key stays for its owner; this view takes a new id."
  @impl true
  def leave(socket, %State{} = state), do: rotate(socket, state)

  @impl true
  def keep_alive(socket, %State{} = state) do
    _ = WriteBehind.touch(@writer, key(state), StashId.ttl_ms(state), socket.view)
    socket
  end

  @impl true
  def write(key, {:put, value, ttl_ms}) do
    case Client.command(["SET", key, value, "PX", px(ttl_ms)]) do
      {:ok, "OK"} -> :ok
      {:ok, other} -> {:error, {:unexpected_reply, other}}
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

  def write(key, :delete), do: command(["DEL", key])
  # PEXPIRE on a missing key is a no-op, so a late refresh cannot resurrect anything.
  def write(key, {:touch, ttl_ms}), do: command(["PEXPIRE", key, px(ttl_ms)])

  # One connection carries every command in order: once a PING is answered, whatever
  # timed out before it has been executed, and the newest state can be sent.
  @impl true
  def probe, do: command(["PING"])

  defp command(args) do
    case Client.command(args) do
      {:ok, _reply} -> :ok
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

  defp rotate(socket, state), do: announce(socket, %State{state | stash_id: StashId.new()})

  defp announce(socket, %State{stash_id: id} = state) do
    {Push.event(socket, Events.init_redis(), %{stashId: id}), state}
  end

  defp key(%State{stash_id: id} = state), do: key(StashId.scope(state), id)

  @doc false
  # Public for the test suite, which checks what is (not) written.
  def key(scope, id), do: @prefix <> Base.encode16(StashId.row_key(scope, id), case: :lower)

  # PX takes a positive integer.
  defp px(ttl_ms), do: Integer.to_string(max(ttl_ms, 1))
end
