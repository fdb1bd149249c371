defmodule LiveStash.MnesiaTest do
  @moduledoc "The Mnesia adapter on this node: the stash life, checks and TTL."
  use ExUnit.Case, async: false

  alias LiveStash.Adapters.StashId
  alias LiveStash.Adapters.Mnesia.{Sweeper, Table}
  alias LiveStash.Test.{Client, Define, View, ViewServer}
  import LiveStash.Test.Flow

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

  defp row(pid, secret \\ "live_stash") do
    [%{stashId: id}] = ViewServer.payloads(pid, @init)
    Table.lookup(StashId.row_key(secret, id))
  end

  test "a fresh mount is :new and announces only a stash id, with the view id" do
    pid = start!(Counter, Client.fresh_params(), id: "phx-main")
    assert ViewServer.assigns(pid).recover_status == :new
    assert [%{stashId: id, view: "phx-main"} = payload] = ViewServer.payloads(pid, @init)
    assert Map.keys(payload) |> Enum.sort() == [:stashId, :view]
    assert byte_size(id) >= 16
  end

  test "a reconnect recovers from the table, keeps the id, and a second drop recovers again" do
    pid = stashed_view(Counter, 7)
    assert {:ok, %LiveStash.Record{assigns: %{count: 7}, view: Counter}} = row(pid)
    [%{stashId: id}] = ViewServer.payloads(pid, @init)

    pid = reconnect(pid, Counter)
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
    assert [%{stashId: ^id}] = ViewServer.payloads(pid, @init)
    pid = reconnect(pid, Counter)
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
  end

  test "an unknown or made-up stash id is :not_found" do
    for entry <- [%{"stashId" => "m5T8w1KdY3cV6pQa"}, %{"stashId" => "x", "node" => "y"}] do
      pid = start!(Counter, %{"_mounts" => 1, "liveStash" => entry})
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
    end
  end

  test "a fresh mount rotates the id and does not recover, even when handed an old id" do
    pid = stashed_view(Counter, 5)
    [%{stashId: id}] = ViewServer.payloads(pid, @init)
    pid = reconnect(pid, Counter, mounts: 0)
    assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)
    assert [%{stashId: new_id}] = ViewServer.payloads(pid, @init)
    assert new_id != id
  end

  test "reset_stash deletes the row" do
    pid = stashed_view(Counter, 9)
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    assert row(pid) == :not_found
    pid = reconnect(pid, Counter)
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
  end

  test "a version mismatch is :error and drops the row" do
    view =
      Define.view!(LiveStash.MnesiaTest.Deployed,
        adapter: @adapter,
        stored_keys: [:count],
        version: 1
      )

    pid = stashed_view(view, 3)
    params = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)

    Define.view!(LiveStash.MnesiaTest.Deployed,
      adapter: @adapter,
      stored_keys: [:count],
      version: 2
    )

    pid = start!(view, params)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    assert row(pid) == :not_found
  end

  test "a stash written by another LiveView module is :error" do
    pid = stashed_view(Counter, 3)
    pid = reconnect(pid, Other)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
  end

  test "session binding: another session cannot recover the stash" do
    pid = stashed_view(Bound, 11, session: %{"user_token" => "alice"})
    params = Client.join_params(ViewServer.events(pid))

    other = start!(Bound, params, session: %{"user_token" => "mallory"})
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(other)

    same = start!(Bound, params, session: %{"user_token" => "alice"})
    assert %{recover_status: :recovered, count: 11} = ViewServer.assigns(same)
  end

  describe "TTL" do
    test "an abandoned stash expires" do
      pid = stashed_view(Short, 1)
      params = Client.join_params(ViewServer.events(pid))
      ViewServer.stop(pid)
      Process.sleep(1_100)

      pid = start!(Short, params)
      assert %{recover_status: :not_found} = ViewServer.assigns(pid)
    end

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
      assert :ok = wait_until(fn -> :mnesia.dirty_read(Table, key) == [] end)
    end

    test "is refreshed while the LiveView lives, so an idle view still recovers" do
      pid = stashed_view(Short, 8)
      Process.sleep(1_600)
      pid = reconnect(pid, Short)
      assert %{recover_status: :recovered, count: 8} = ViewServer.assigns(pid)
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

  defp wait_until(fun, tries \\ 50) do
    cond do
      fun.() -> :ok
      tries == 0 -> :timeout
      true -> Process.sleep(100) && wait_until(fun, tries - 1)
    end
  end

  test "a stash without change is not rewritten, a change is" do
    pid = stashed_view(Counter, 4)
    [%{stashId: id}] = ViewServer.payloads(pid, @init)
    key = StashId.row_key("live_stash", id)
    :ok = Table.delete(key)
    :ok = ViewServer.update(pid, {View, :put_count, [4]})
    assert Table.lookup(key) == :not_found
    :ok = ViewServer.update(pid, {View, :put_count, [5]})
    assert {:ok, %LiveStash.Record{assigns: %{count: 5}}} = Table.lookup(key)
  end
end
