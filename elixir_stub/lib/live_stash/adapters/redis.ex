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
  behind a MAC (`LiveStash.Adapters.Redis.Row`) that also covers the row's generation
  and absolute expiry, written with a TTL (`PX`) on every write and re-sealed by the
  keep-alive. A value whose MAC does not verify is never decoded: it is `:error`
  (`:tampered`), logged, and dropped. A row past the expiry its MAC vouches for (kept
  alive with `PERSIST`, or `SET` back after it expired) is `:not_found` (`:expired`).

  Across nodes there is one copy of each stash, the one in Redis. Every write carries
  the stash's generation, and Redis takes it only over an older one (a Lua
  compare-and-set), so a write that was delayed on one node never lands over a newer one
  written from another: a reconnect on any node reads the newest write or nothing.

  Writes (stash, delete, keep-alive) never run in the LiveView: they go through
  `LiveStash.Adapters.WriteBehind`, so a Redis that stalls or is down costs a click
  nothing; the writer logs one warning per stash it cannot write and writes its newest
  state once Redis answers. A recovery on this node compares a pending write with Redis's
  row and takes the newer; otherwise it reads Redis (`GET`, bounded by the configured
  `:timeout`), and retries an unreachable Redis within `LiveStash.Adapters.RecoverRetry`'s
  budget (2 s by default) before it gives up with `:error`. A dropped stash also moves
  the view to a new id.
  """

  @behaviour LiveStash.Adapter.Internal

  alias LiveStash.{Events, Push, Record, State}
  alias LiveStash.Adapters.Redis.{Client, Row, Script}
  alias LiveStash.Adapters.{Generation, RecoverRetry, StashId, WriteBehind}

  @behaviour WriteBehind

  @prefix "live_stash:"
  @writer LiveStash.Adapters.Redis.Writer

  # The writer after the connection: it stops first, and flushes while Redis is reachable.
  @impl true
  def child_specs, do: [Client, {WriteBehind, name: @writer, store: __MODULE__}]

  @impl true
  def mount(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.for_mount(state)})

  # Sealed by the writer, when the write happens: the expiry inside the MAC then counts
  # from the moment Redis takes the row, however long it waited here.
  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    pending =
      {Generation.next(socket), Record.encode(record), socket.endpoint, state.options.secret}

    with :ok <- WriteBehind.put(@writer, key(state), pending, StashId.ttl_ms(state), socket.view),
         do: {:ok, socket}
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:server, _hint, _id}}} = state) do
    key = key(state)

    case WriteBehind.lookup(@writer, key) do
      {:ok, pending} -> newer(socket, state, key, pending)
      :deleted -> :not_found
      :none -> stored(socket, state, key, RecoverRetry.run(&get(key, &1)))
    end
  end

  def fetch(_socket, _state), do: :not_found

  # A write pending on this node may be older than a row another node stored since (the
  # client moved there meanwhile): the higher generation wins. Should Redis not answer,
  # the pending write is the newest this node knows of.
  defp newer(socket, state, key, {generation, payload, _endpoint, _secret}) do
    with {:ok, value} when is_binary(value) <- Client.command(["GET", key]),
         true <- Row.generation(value) > generation,
         {:ok, record} <- open(socket, state, key, value) do
      {:ok, record}
    else
      _ -> recovered(socket, generation, payload)
    end
  end

  # An unreachable Redis is retried, and one that says it is not ready yet (loading its
  # snapshot after a restart, a failover in progress); any other error would come again.
  defp get(key, max_wait) do
    case Client.command(["GET", key], max_wait) do
      {:ok, _value} = ok ->
        ok

      {:error, {:redis, message}} = error ->
        if transient?(message), do: {:retry, error}, else: error

      {:error, _reason} = error ->
        {:retry, error}
    end
  end

  defp transient?(message),
    do: String.starts_with?(message, ["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"])

  defp stored(socket, state, key, read) do
    case read do
      {:ok, nil} -> :not_found
      {:ok, value} when is_binary(value) -> open(socket, state, key, value)
      {:ok, other} -> {:error, {:unexpected_reply, other}}
      # Logged once, with the reason, by LiveStash's recovery.
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

  defp open(socket, state, key, value) do
    with {:ok, row} <- Row.unseal(socket.endpoint, state.options.secret, key, value),
         :ok <- live(key, row.expires_at) do
      recovered(socket, row.generation, row.payload)
    end
  end

  # The expiry the MAC vouches for. A previous-layout row carries none, but was always
  # written with a PX: one that Redis keeps forever was kept alive by someone else.
  defp live(key, nil) do
    case Client.command(["PTTL", key]) do
      {:ok, forever} when forever in [-1, "-1"] -> {:not_found, :expired}
      _ -> :ok
    end
  end

  defp live(_key, expires_at),
    do: if(expires_at > now(), do: :ok, else: {:not_found, :expired})

  defp recovered(socket, generation, payload) do
    with {:ok, record} <- Record.decode(payload) do
      :ok = Generation.continue(socket, generation)
      {:ok, record}
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

  # The row's expiry is inside its MAC, so a refresh re-seals it (in the writer).
  @impl true
  def keep_alive(socket, %State{} = state) do
    sealer = {socket.endpoint, state.options.secret}
    _ = WriteBehind.touch(@writer, key(state), StashId.ttl_ms(state), socket.view, sealer)
    socket
  end

  @impl true
  def write(key, {:put, {generation, payload, endpoint, secret}, ttl_ms}) do
    value = Row.seal(endpoint, secret, key, generation, expires_at(ttl_ms), payload)
    compare_and_set(key, value, ttl_ms, generation, :put)
  end

  def write(key, :delete), do: command(["DEL", key])

  # A row that is gone, expired, or not ours stays so: a late refresh resurrects nothing.
  def write(key, {:touch, ttl_ms, {endpoint, secret}}) do
    with {:ok, value} when is_binary(value) <- Client.command(["GET", key]),
         {:ok, row} <- Row.unseal(endpoint, secret, key, value),
         true <- row.expires_at == nil or row.expires_at > now() do
      value = Row.seal(endpoint, secret, key, row.generation, expires_at(ttl_ms), row.payload)
      compare_and_set(key, value, ttl_ms, row.generation, :touch)
    else
      {:error, :tampered} -> :ok
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
      _gone_or_expired -> :ok
    end
  end

  # A refused write (a newer row is stored) is done: nothing is left to write.
  defp compare_and_set(key, value, ttl_ms, generation, mode) do
    case Script.run(key, value, ttl_ms, generation, mode) do
      {:ok, _written_or_stale} -> :ok
      {:error, {:unexpected_reply, _}} = error -> error
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

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

  defp expires_at(ttl_ms), do: now() + ttl_ms
  defp now, do: LiveStash.Clock.now_ms()
end
