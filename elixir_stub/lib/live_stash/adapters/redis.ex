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

  Redis being down never breaks a LiveView: every call is bounded by the configured
  `:timeout`, a failed stash is logged by `LiveStash.stash/1`, and a failed read is
  `:error`. Work the view need not wait for (keep-alive, deleting a dropped stash) runs
  in a throwaway process; deletes go with a new id, so a late delete can never remove
  a newer stash.
  """

  @behaviour LiveStash.Adapter

  alias LiveStash.{Events, Push, Record, State}
  alias LiveStash.Adapters.Redis.{Client, Row}
  alias LiveStash.Adapters.StashId

  @prefix "live_stash:"

  @impl true
  def child_specs, do: [Client]

  @impl true
  def mount(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.for_mount(state)})

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    key = key(state)
    value = Row.seal(socket.endpoint, state.secret, key, record)

    case Client.command(["SET", key, value, "PX", ttl_ms(state)]) do
      {:ok, "OK"} -> {:ok, socket}
      {:ok, other} -> {:error, {:unexpected_reply, other}}
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:server, _hint, _id}}} = state) do
    key = key(state)

    case Client.command(["GET", key]) do
      {:ok, nil} -> :not_found
      {:ok, value} when is_binary(value) -> Row.open(socket.endpoint, state.secret, key, value)
      {:ok, other} -> {:error, {:unexpected_reply, other}}
      # Logged once, with the reason, by LiveStash's recovery.
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

  def fetch(_socket, _state), do: :not_found

  @impl true
  def drop(socket, %State{} = state) do
    :ok = Client.command_async(["DEL", key(state)])
    rotate(socket, state)
  end

  @doc "Another view's key stays for its owner; this view takes a new id."
  @impl true
  def leave(socket, %State{} = state), do: rotate(socket, state)

  @impl true
  def keep_alive(socket, %State{} = state) do
    # PEXPIRE on a missing key is a no-op, so a late refresh cannot resurrect anything.
    :ok = Client.command_async(["PEXPIRE", key(state), ttl_ms(state)])
    socket
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
  defp ttl_ms(state), do: Integer.to_string(max(StashId.ttl_ms(state), 1))
end
