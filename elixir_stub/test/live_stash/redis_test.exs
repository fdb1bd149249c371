defmodule LiveStash.RedisTest do
  @moduledoc "The Redis adapter against a real redis-server the suite starts itself."
  use ExUnit.Case, async: false

  import ExUnit.CaptureLog
  import LiveStash.Test.Flow
  import LiveStash.Test.RedisCase
  import LiveStash.Test.Writers, only: [settle: 0, settle: 1]

  alias LiveStash.Adapters.Redis
  alias LiveStash.Adapters.Redis.Client, as: RedisClient
  alias LiveStash.Test.{Client, Define, RedisServer, View, ViewServer}

  @init_redis "live-stash:init-redis"
  @adapter [adapter: Redis]

  @counter LiveStash.RedisTest.Counter
  @short LiveStash.RedisTest.Short
  @bound LiveStash.RedisTest.Bound
  @other LiveStash.RedisTest.Other
  @auto LiveStash.RedisTest.Auto

  setup_all do
    context = start_redis!()
    Define.view!(@counter, @adapter ++ [stored_keys: [:count]])
    Define.view!(@short, @adapter ++ [stored_keys: [:count], ttl: 1])
    Define.view!(@bound, @adapter ++ [stored_keys: [:count], session_key: "user_token"])
    Define.view!(@other, @adapter ++ [stored_keys: [:count]])

    Define.view!(
      @auto,
      @adapter ++ [stored_keys: [:count], auto_stash: true, auto_stash_interval: 60_000]
    )

    context
  end

  use LiveStash.Test.AdapterCases,
    init: @init_redis,
    views: [counter: @counter, short: @short, bound: @bound, other: @other],
    deployed: {LiveStash.RedisTest.Deployed, @adapter},
    rotates_on_drop?: true

  def stored_count(id) do
    :ok = settle()
    key = Redis.key("live_stash", id)

    case RedisClient.command(["GET", key]) do
      {:ok, nil} -> nil
      {:ok, value} -> with {:ok, record} <- open_row(key, value), do: record.assigns.count
    end
  end

  def delete_stored(id) do
    {:ok, _} = RedisClient.command(["DEL", Redis.key("live_stash", id)])
    :ok
  end

  # The recovery gives up once the retry budget is spent (plus a loaded machine's slack).
  defp assert_within_budget(micros, what) do
    budget = LiveStash.Adapters.RecoverRetry.budget_ms()
    assert micros >= budget * 1000, "gave up after #{div(micros, 1000)} ms with #{what}"
    assert micros < (budget + 600) * 1000, "recover took #{div(micros, 1000)} ms with #{what}"
  end

  defp stash_id(pid), do: stash_id(pid, @init_redis)
  defp key(pid), do: Redis.key("live_stash", stash_id(pid))
  defp exists?(redis, key), do: RedisServer.command!(redis, ["EXISTS", key]) == "1"

  test "a fresh mount is :new and announces a stash id with the view id, and no node" do
    pid = start!(@counter, Client.fresh_params(), id: "phx-main")
    assert ViewServer.assigns(pid).recover_status == :new
    assert [%{stashId: id, view: "phx-main"} = payload] = ViewServer.payloads(pid, @init_redis)
    assert Map.keys(payload) |> Enum.sort() == [:stashId, :view]
    assert byte_size(id) >= 16
  end

  test "a stash is one namespaced key that does not reveal the id, with the view's TTL", %{
    redis: redis
  } do
    pid = stashed_view(@counter, 3)
    key = key(pid)
    assert "live_stash:" <> hash = key
    refute hash =~ stash_id(pid)
    assert exists?(redis, key)

    ttl = redis |> RedisServer.command!(["PTTL", key]) |> String.to_integer()
    assert ttl > 0 and ttl <= 300_000
  end

  test "an unknown or tampered id is :not_found; garbage params do not crash" do
    pid = stashed_view(@counter, 4)
    id = stash_id(pid)

    tampered =
      String.replace_suffix(id, String.last(id), if(String.last(id) == "A", do: "B", else: "A"))

    for entry <- [
          %{"stashId" => "unknown-id-0123456789"},
          %{"stashId" => tampered},
          %{"stashId" => 42},
          "nonsense",
          nil
        ] do
      other = start!(@counter, %{"_mounts" => 1, "liveStash" => entry})
      assert %{recover_status: status, count: 0} = ViewServer.assigns(other)
      assert status == :not_found, inspect(entry)
    end

    # the real stash is untouched by those attempts
    assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(reconnect(pid, @counter))
  end

  test "a value in the key that is not a stash is :error, not a crash", %{redis: redis} do
    pid = stashed_view(@counter, 2)
    :ok = settle()
    RedisServer.command!(redis, ["SET", key(pid), "not a record"])
    {pid, log} = with_warnings(fn -> reconnect(pid, @counter) end)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    assert warned_once?(log, pid, @counter, ":tampered")
  end

  describe "rows are decoded only once their MAC verified" do
    test "a forged row naming an unknown atom is :error, and creates no atom" do
      pid = stashed_view(@counter, 2)
      :ok = settle()
      {:ok, genuine} = RedisClient.command(["GET", key(pid)])
      <<"LS", layout, nonce::binary-16, _tag::binary-16, _payload::binary>> = genuine

      # A record-shaped term naming an atom this VM has never seen, built by hand.
      name = "live_stash_forged_atom_#{System.unique_integer([:positive])}"
      payload = <<131, 104, 2, 119, byte_size(name)>> <> name <> <<97, 2>>

      forged =
        <<"LS", layout, nonce::binary, :crypto.strong_rand_bytes(16)::binary, payload::binary>>

      {:ok, "OK"} = RedisClient.command(["SET", key(pid), forged])

      {pid, log} = with_warnings(fn -> reconnect(pid, @counter) end)
      assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, @counter, ":tampered")
      assert_raise ArgumentError, fn -> String.to_existing_atom(name) end
    end

    test "a genuine row moved under another key is :error" do
      owner = stashed_view(@counter, 5)
      :ok = settle()
      {:ok, row} = RedisClient.command(["GET", key(owner)])
      other = stashed_view(@counter, 1)
      :ok = settle()
      {:ok, "OK"} = RedisClient.command(["SET", key(other), row])

      {other, log} = with_warnings(fn -> reconnect(other, @counter) end)
      assert %{recover_status: :error, count: 0} = ViewServer.assigns(other)
      assert warned_once?(log, other, @counter, ":tampered")

      assert %{recover_status: :recovered, count: 5} =
               ViewServer.assigns(reconnect(owner, @counter))
    end
  end

  test "a Redis stalled by DEBUG SLEEP holds up no event; the newest state is recovered and lands, coalesced",
       %{redis: redis} do
    pid = stashed_view(@counter, 1)
    id = stash_id(pid)
    :ok = settle()
    sets = RedisServer.calls(redis, "set")

    capture_log(fn ->
      stall = RedisServer.stall!(redis, 2)

      # Each of these used to wait for the 500 ms timeout: 2.5 s for the five, longer
      # than the stall. They are all answered while Redis still sleeps.
      for count <- 2..6, do: :ok = ViewServer.update(pid, {View, :put_count, [count]})
      assert Task.yield(stall, 0) == nil, "the events waited for the stall to end"

      # A reconnect on this node, still during the stall, recovers the newest state.
      pid = reconnect(pid, @counter)
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
      assert Task.yield(stall, 0) == nil

      Task.await(stall, 10_000)
    end)

    assert stored_count(id) == 6

    # Six stashes (five events and the recovery's rewrite), two SETs: the one sent as
    # the stall began, and the newest state once Redis answered again.
    assert RedisServer.calls(redis, "set") - sets == 2
  end

  test "auto_stash: a write still pending when the socket closes lands in Redis" do
    pid = start!(@auto, Client.fresh_params())
    id = stash_id(pid)
    :ok = ViewServer.update(pid, {View, :set_count, [5]})
    # coalesced: nothing is written before the interval
    assert stored_count(id) == nil

    ViewServer.stop(pid)
    assert stored_count(id) == 5
  end

  describe "Redis down" do
    test "kill -9 mid-session: the view goes on, one warning, the newest state is kept here and lands once Redis is back",
         %{redis: redis} do
      landed = stashed_view(@counter, 1)
      landed_params = Client.join_params(ViewServer.events(landed))
      pid = stashed_view(@counter, 1)
      id = stash_id(pid)
      :ok = settle()

      log =
        capture_log(fn ->
          RedisServer.kill!(redis)
          :ok = ViewServer.update(pid, {View, :put_count, [2]})
          :ok = ViewServer.update(pid, {View, :put_count, [3]})
          # Still pending (Redis is gone), and tried: the failure is logged by now.
          assert {:error, :timeout} = settle(1_000)
        end)

      assert Process.alive?(pid)
      # Once for the view, naming it, however many writes failed.
      assert [_] = Regex.scan(~r/LiveStash could not stash #{inspect(@counter)}: /, log)

      # A reconnect on this node reads the pending write.
      pid = reconnect(pid, @counter)
      assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(pid)

      # A stash with nothing pending here needs Redis: :error, once the retry budget is spent.
      ViewServer.stop(landed)

      capture_log(fn ->
        {micros, other} = :timer.tc(fn -> start!(@counter, landed_params) end)
        assert ViewServer.assigns(other).recover_status == :error
        # A stated bound of the adapter (the retry budget), not a benchmark.
        assert_within_budget(micros, "Redis down")
      end)

      capture_log(fn ->
        RedisServer.restart!(redis)
        wait_connected!()
      end)

      # Redis came back empty (no persistence); the newest state was still written.
      assert stored_count(id) == 3
      :ok = ViewServer.update(pid, {View, :put_count, [4]})
      pid = reconnect(pid, @counter)
      assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(pid)
    end

    test "a Redis that hangs (SIGSTOP): the view answers at once, a reconnect here reads the pending write, the newest lands on resume",
         %{redis: redis} do
      landed = stashed_view(@counter, 1)
      landed_params = Client.join_params(ViewServer.events(landed))
      pid = stashed_view(@counter, 1)
      id = stash_id(pid)
      :ok = settle()
      RedisServer.pause!(redis)

      try do
        log =
          capture_log(fn ->
            # With Redis frozen, each of these used to wait for the 500 ms timeout.
            for count <- 2..6, do: :ok = ViewServer.update(pid, {View, :put_count, [count]})
            pid = reconnect(pid, @counter)
            assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
            ViewServer.stop(pid)

            {micros, other} = :timer.tc(fn -> start!(@counter, landed_params) end)
            assert ViewServer.assigns(other).recover_status == :error
            # A stated bound of the adapter (the retry budget; each attempt is cut to what
            # is left of it), not a benchmark.
            assert_within_budget(micros, "Redis hung")
            # Still pending, and tried (each try gives up within the 500 ms timeout).
            assert {:error, :timeout} = settle(1_500)
          end)

        assert [_] = Regex.scan(~r/LiveStash could not stash #{inspect(@counter)}: /, log)
        down = ~r/did not recover the stash of #{inspect(@counter)}: .*\(:adapter_down\)/
        assert length(Regex.scan(down, log)) == 1
      after
        RedisServer.resume!(redis)
      end

      assert stored_count(id) == 6
    end

    test "a Redis that is not there at all still mounts, stashes and recovers without crashing" do
      # The connection process itself is gone (e.g. restarting under its supervisor).
      :ok = Supervisor.terminate_child(LiveStash.Supervisor, LiveStash.Adapters.Redis.Connection)

      try do
        log =
          capture_log(fn ->
            pid = stashed_view(@counter, 6)
            assert {:error, :timeout} = settle(500)
            assert Process.alive?(pid)
            pid = reconnect(pid, @counter)
            assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
            send(self(), {:id, stash_id(pid)})

            other =
              start!(@counter, %{
                "_mounts" => 1,
                "liveStash" => %{"stashId" => "elsewhere-0123456"}
              })

            assert ViewServer.assigns(other).recover_status == :error
          end)

        assert log =~ "LiveStash could not stash #{inspect(@counter)}"
      after
        {:ok, _} =
          Supervisor.restart_child(LiveStash.Supervisor, LiveStash.Adapters.Redis.Connection)

        wait_connected!()
      end

      assert_received {:id, id}
      assert stored_count(id) == 6
    end
  end

  test "the Redis connection is started only when the adapter is active" do
    assert [LiveStash.Adapters.ETS.Table, Redis.Client, {LiveStash.Adapters.WriteBehind, _}] =
             LiveStash.Application.adapter_children([LiveStash.Adapters.ETS, Redis])

    assert [LiveStash.Adapters.ETS.Table] =
             LiveStash.Application.adapter_children([
               LiveStash.Adapters.ETS,
               LiveStash.Adapters.BrowserMemory
             ])
  end
end
