defmodule LiveStash.RedisRowsTest do
  @moduledoc """
  What a Redis row vouches for beyond its record (its generation and expiry, inside the
  MAC), rows of the previous layout, and a recovery that meets a Redis restarting.
  Against a real redis-server the suite starts itself.
  """
  use ExUnit.Case, async: false

  import LiveStash.Test.Flow
  import LiveStash.Test.RedisCase
  import LiveStash.Test.Writers, only: [settle: 0]
  import LiveStash.Test.AdapterCases, only: [stash_id: 2]

  alias LiveStash.Adapters.Redis
  alias LiveStash.Adapters.Redis.Client
  alias LiveStash.Test.{Define, RedisServer, View, ViewServer}

  @counter LiveStash.RedisRowsTest.Counter
  @short LiveStash.RedisRowsTest.Short

  setup_all do
    context = start_redis!()
    Define.view!(@counter, adapter: Redis, stored_keys: [:count])
    Define.view!(@short, adapter: Redis, stored_keys: [:count], ttl: 1)
    context
  end

  defp key(pid), do: Redis.key("live_stash", stash_id(pid, "live-stash:init-redis"))

  defp row(pid) do
    :ok = settle()
    {:ok, row} = Client.command(["GET", key(pid)])
    row
  end

  describe "the MAC covers the row's expiry" do
    test "an earlier row SET back once it expired is refused, not recovered as the newest" do
      pid = stashed_view(@short, 1)
      earlier = row(pid)
      :ok = ViewServer.update(pid, {View, :put_count, [2]})
      :ok = settle()
      # Past the earlier row's expiry (ttl 1 s); the view still lives and keeps its own row.
      Process.sleep(1_100)
      {:ok, "OK"} = Client.command(["SET", key(pid), earlier])

      {pid, log} = with_warnings(fn -> reconnect(pid, @short) end)
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, @short, ":expired")
    end

    test "an expired row kept alive with PERSIST is refused" do
      pid = stashed_view(@short, 3)
      key = key(pid)
      :ok = settle()
      held = ViewServer.params(pid)
      params = LiveStash.Test.Client.join_params(ViewServer.events(pid), held: held)
      identity = ViewServer.identity(pid)
      ViewServer.stop(pid)
      {:ok, 1} = Client.command(["PERSIST", key]) |> integer()
      Process.sleep(1_100)
      assert {:ok, row} = Client.command(["GET", key])
      assert is_binary(row)

      {pid, log} = with_warnings(fn -> start!(@short, params, identity) end)
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, @short, ":expired")
    end
  end

  describe "a row of the previous layout (2: no generation or expiry in the MAC)" do
    test "is read as generation 0 and rewritten in the new layout by the recovery" do
      pid = stashed_view(@counter, 4)
      key = key(pid)
      {:ok, record} = open_row(key, row(pid))
      {:ok, "OK"} = Client.command(["SET", key, previous_layout(key, record), "PX", "60000"])

      pid = reconnect(pid, @counter)
      assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(pid)
      assert <<"LS", 3, generation::64, _::binary>> = row(pid)
      assert generation == 1

      assert %{recover_status: :recovered, count: 4} =
               ViewServer.assigns(reconnect(pid, @counter))
    end

    test "one that Redis keeps forever (PERSIST) is refused: every such row was written with a PX" do
      pid = stashed_view(@counter, 5)
      key = key(pid)
      {:ok, record} = open_row(key, row(pid))
      {:ok, "OK"} = Client.command(["SET", key, previous_layout(key, record)])

      {pid, log} = with_warnings(fn -> reconnect(pid, @counter) end)
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, @counter, ":expired")
    end
  end

  test "Redis killed while a page reconnects and back 1.5 s later: the recovery waits for it",
       %{redis: redis} do
    pid = stashed_view(@counter, 6)
    id = stash_id(pid, "live-stash:init-redis")
    :ok = settle()
    # As a Redis with persistence (or a failover) comes back: with the row.
    RedisServer.save!(redis)
    # A budget with room for a loaded test machine; the default is 2 s.
    Application.put_env(:live_stash, :recover_retry, budget: 3_000)

    try do
      ExUnit.CaptureLog.capture_log(fn ->
        RedisServer.kill!(redis)

        back =
          Task.async(fn ->
            Process.sleep(1_500)
            RedisServer.restart!(redis)
          end)

        pid = reconnect(pid, @counter)
        :ok = Task.await(back, 10_000)
        send(self(), {:recovered, ViewServer.assigns(pid)})
      end)
    after
      Application.delete_env(:live_stash, :recover_retry)
      wait_connected!()
    end

    assert_received {:recovered, %{recover_status: :recovered, count: 6}}
    assert %{count: 6} = stored(id)
  end

  defp stored(id) do
    :ok = settle()
    key = Redis.key("live_stash", id)
    {:ok, value} = Client.command(["GET", key])
    {:ok, record} = open_row(key, value)
    record.assigns
  end

  # eredis answers integers as binaries.
  defp integer({:ok, value}) when is_binary(value), do: {:ok, String.to_integer(value)}
  defp integer(other), do: other

  # A row as the previous release sealed it (the bytes its fixtures hold).
  defp previous_layout(key, record) do
    payload = LiveStash.Record.encode(record)
    nonce = :crypto.strong_rand_bytes(16)
    base = LiveStash.Test.Endpoint.config(:secret_key_base)
    row_key = :crypto.mac(:hmac, :sha256, base, ["live_stash redis row", 0, "live_stash"])
    one_time = :crypto.mac(:hmac, :sha256, row_key, nonce)
    tag = :crypto.mac(:poly1305, one_time, [<<byte_size(key)::32>>, key, payload])
    <<"LS", 2, nonce::binary, tag::binary, payload::binary>>
  end
end
