defmodule LiveStash.Adapters.Redis do
  @moduledoc """
  Keeps the stash in Redis, shared by every node that points at the same server.

  The browser only holds a random `stashId`. The Redis key is `live_stash:` plus the
  hex of the row key every server adapter uses (`LiveStash.Adapters.StashId`: bound to
  the per-view secret, so with `:session_key` another session holding the id still
  finds nothing). The value is the same `LiveStash.Record` a browser token carries,
  written with a TTL (`PX`) on every write and pushed forward by the keep-alive.

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
  alias LiveStash.Adapters.Redis.Client
  alias LiveStash.Adapters.StashId

  require Logger

  @prefix "live_stash:"

  @impl true
  def child_specs, do: [Client]

  @impl true
  def mount(socket, %State{} = state),
    do: announce(socket, %State{state | stash_id: StashId.for_mount(state)})

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    case Client.command(["SET", key(state), Record.encode(record), "PX", ttl_ms(state)]) do
      {:ok, "OK"} -> {:ok, socket}
      {:ok, other} -> {:error, {:unexpected_reply, other}}
      {:error, reason} -> {:error, {:redis_unavailable, reason}}
    end
  end

  @impl true
  def fetch(_socket, %State{incoming: %{stash: {:server, _hint, _id}}} = state) do
    case Client.command(["GET", key(state)]) do
      {:ok, nil} ->
        :not_found

      {:ok, binary} when is_binary(binary) ->
        Record.decode(binary)

      {:ok, other} ->
        {:error, {:unexpected_reply, other}}

      {:error, reason} ->
        Logger.warning("LiveStash could not read from Redis: #{inspect(reason)}")
        {:error, {:redis_unavailable, reason}}
    end
  end

  def fetch(_socket, _state), do: :not_found

  @impl true
  def drop(socket, %State{} = state) do
    :ok = Client.command_async(["DEL", key(state)])
    rotate(socket, state)
  end

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

  defp key(%State{secret: secret, stash_id: id}), do: key(secret, id)

  @doc false
  # Public for the test suite, which checks what is (not) written.
  def key(secret, id), do: @prefix <> Base.encode16(StashId.row_key(secret, id), case: :lower)

  # PX takes a positive integer.
  defp ttl_ms(state), do: Integer.to_string(max(StashId.ttl_ms(state), 1))
end
