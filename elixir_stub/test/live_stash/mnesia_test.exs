defmodule LiveStash.MnesiaTest do
  @moduledoc "The Mnesia adapter on this node: the stash life, checks and TTL."
  use ExUnit.Case, async: false

  alias LiveStash.Adapters.StashId
  alias LiveStash.Adapters.Mnesia.{Sweeper, Table}
  alias LiveStash.Test.{Client, ViewServer}

  @init "live-stash:init-mnesia"
  @adapter LiveStash.Adapters.Mnesia

  defmodule Counter do
    use LiveStash.Test.View, adapter: LiveStash.Adapters.Mnesia, stored_keys: [:count]
  end

  defmodule Other do
    use LiveStash.Test.View, adapter: LiveStash.Adapters.Mnesia, stored_keys: [:count]
  end

  defmodule Short do
    use LiveStash.Test.View, adapter: LiveStash.Adapters.Mnesia, stored_keys: [:count], ttl: 1
  end

  defmodule Bound do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.Mnesia,
      stored_keys: [:count],
      session_key: "user_token"
  end

  use LiveStash.Test.AdapterCases,
    init: @init,
    views: [counter: Counter, short: Short, bound: Bound, other: Other],
    deployed: {LiveStash.MnesiaTest.Deployed, [adapter: @adapter]},
    rotates_on_drop?: true

  defmodule Auto do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.Mnesia,
      stored_keys: [:count],
      auto_stash: true,
      auto_stash_interval: 60_000
  end

  test "auto_stash: a write still pending when the socket closes lands in the table" do
    pid = start!(Auto, Client.fresh_params())
    id = LiveStash.Test.AdapterCases.stash_id(pid, @init)
    :ok = ViewServer.update(pid, {LiveStash.Test.View, :set_count, [5]})
    # coalesced: nothing is written before the interval
    assert stored_count(id) == nil

    ViewServer.stop(pid)
    assert stored_count(id) == 5
  end

  def stored_count(id) do
    :ok = LiveStash.Test.Writers.settle()
    count_of(Table.lookup(StashId.row_key("live_stash", id)))
  end

  def delete_stored(id), do: Table.delete(StashId.row_key("live_stash", id))

  test "a fresh mount is :new and announces only a stash id, with the view id" do
    pid = start!(Counter, Client.fresh_params(), id: "phx-main")
    assert ViewServer.assigns(pid).recover_status == :new
    assert [%{stashId: id, view: "phx-main"} = payload] = ViewServer.payloads(pid, @init)
    assert Map.keys(payload) |> Enum.sort() == [:stashId, :view]
    assert byte_size(id) >= 16
  end

  test "an unknown or made-up stash id is :not_found" do
    for entry <- [%{"stashId" => "m5T8w1KdY3cV6pQa"}, %{"stashId" => "x", "node" => "y"}] do
      pid = start!(Counter, %{"_mounts" => 1, "liveStash" => entry})
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
    end
  end

  describe "generations" do
    test "a write never replaces a live row of a newer or the same generation" do
      key = :crypto.strong_rand_bytes(32)
      :ok = Table.put(key, :newer, 60_000, 3)

      for older <- [2, 3], do: :ok = Table.put(key, :older, 60_000, older)
      assert Table.read(key) == {:ok, :newer, 3}

      :ok = Table.put(key, :newest, 60_000, 4)
      assert Table.read(key) == {:ok, :newest, 4}
    end

    test "an expired row is replaced by any generation; a bare row (no generation) counts as 0" do
      expired = :crypto.strong_rand_bytes(32)
      :ok = Table.put(expired, :old, 1, 9)
      Process.sleep(5)
      :ok = Table.put(expired, :fresh, 60_000, 1)
      assert Table.read(expired) == {:ok, :fresh, 1}

      bare = :crypto.strong_rand_bytes(32)
      now = System.system_time(:millisecond)

      {:atomic, :ok} =
        :mnesia.transaction(fn -> :mnesia.write({Table, bare, :bare, now + 60_000, 60_000}) end)

      assert Table.read(bare) == {:ok, :bare, 0}
      :ok = Table.put(bare, :first, 60_000, 1)
      assert Table.read(bare) == {:ok, :first, 1}
    end
  end

  describe "TTL" do
    test "an expired row reads as missing before the sweep, and the sweep deletes it" do
      key = :crypto.strong_rand_bytes(32)
      :ok = :sys.suspend(Sweeper)

      try do
        :ok = Table.put(key, :value, 10)
        Process.sleep(30)
        assert [_row] = :mnesia.dirty_read(Table, key), "not swept yet"
        assert Table.lookup(key) == :not_found
      after
        :sys.resume(Sweeper)
      end

      # the cleanup interval is 200ms in the test config
      assert eventually(fn -> :mnesia.dirty_read(Table, key) == [] end)
    end
  end

  test "a bad mnesia_cleanup_interval is a clear error" do
    old = Application.fetch_env!(:live_stash, :mnesia_cleanup_interval)
    # the running sweeper reads the same setting; keep it out of the way meanwhile
    :ok = :sys.suspend(Sweeper)
    Application.put_env(:live_stash, :mnesia_cleanup_interval, "soon")

    try do
      assert_raise ArgumentError, ~r/mnesia_cleanup_interval.*"soon"/, fn -> Sweeper.init([]) end
    after
      Application.put_env(:live_stash, :mnesia_cleanup_interval, old)
      :sys.resume(Sweeper)
    end
  end
end
