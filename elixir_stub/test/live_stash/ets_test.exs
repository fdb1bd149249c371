defmodule LiveStash.ETSTest do
  use ExUnit.Case, async: true

  import ExUnit.CaptureLog

  alias LiveStash.Adapters.ETS.Table
  alias LiveStash.Test.{Client, Define, View, ViewServer}
  import LiveStash.Test.Flow

  @init_ets "live-stash:init-ets"

  defmodule Counter do
    use LiveStash.Test.View, stored_keys: [:count]
  end

  defmodule Short do
    use LiveStash.Test.View, stored_keys: [:count], ttl: 1
  end

  defmodule Bound do
    use LiveStash.Test.View, stored_keys: [:count], session_key: "user_token"
  end

  defmodule Reloadable do
    use LiveStash.Test.View, stored_keys: [:count], recover_after_reload: true
  end

  test "a fresh mount is :new and announces a stash id and node hint with the view id" do
    pid = start!(Counter, Client.fresh_params(), id: "phx-main")
    assert ViewServer.assigns(pid).recover_status == :new

    assert [%{node: hint, stashId: id, view: "phx-main"}] = ViewServer.payloads(pid, @init_ets)
    assert is_binary(hint) and hint != "" and is_binary(id) and byte_size(id) >= 16
    refute hint =~ Atom.to_string(node()), "the node name must not be readable by the client"
  end

  test "a disconnected mount is :new and pushes nothing" do
    pid = start!(Counter, nil)
    assert ViewServer.assigns(pid).recover_status == :new
    assert ViewServer.events(pid) == []
    :ok = ViewServer.update(pid, {View, :put_count, [3]})
    assert ViewServer.events(pid) == []
  end

  test "a reconnect recovers the stashed assigns and keeps the stash id" do
    pid = stashed_view(Counter, 7)
    [%{stashId: id}] = ViewServer.payloads(pid, @init_ets)

    pid = reconnect(pid, Counter)
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
    assert [%{stashId: ^id}] = ViewServer.payloads(pid, @init_ets)

    # recovery leaves the stash in place: a second drop recovers again
    pid = reconnect(pid, Counter)
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
  end

  test "only stored_keys are stashed" do
    pid = start!(Counter, Client.fresh_params())

    :ok =
      ViewServer.update(pid, &(&1 |> Phoenix.Component.assign(:other, :x) |> View.put_count(2)))

    pid = reconnect(pid, Counter)
    assert %{count: 2, recover_status: :recovered} = assigns = ViewServer.assigns(pid)
    refute Map.has_key?(assigns, :other)
  end

  test "a reconnect with nothing stashed is :not_found" do
    pid = start!(Counter, Client.fresh_params())
    pid = reconnect(pid, Counter)
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
  end

  test "a fresh mount rotates the id and does not recover, even when handed an old id" do
    pid = stashed_view(Counter, 5)
    [%{stashId: id}] = ViewServer.payloads(pid, @init_ets)

    pid = reconnect(pid, Counter, mounts: 0)
    assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)
    assert [%{stashId: new_id}] = ViewServer.payloads(pid, @init_ets)
    assert new_id != id
  end

  test "garbage liveStash params do not crash the mount" do
    for entry <- [%{"stashId" => 42}, "nonsense", %{"node" => "x", "stashId" => "nope"}, nil, [1]] do
      pid = start!(Counter, %{"_mounts" => 1, "liveStash" => entry})
      assert ViewServer.assigns(pid).recover_status in [:not_found, :new]
    end
  end

  test "an unchanged value is not written again (fingerprint)" do
    pid = stashed_view(Counter, 4)
    [%{stashId: id}] = ViewServer.payloads(pid, @init_ets)
    key = LiveStash.Adapters.StashId.row_key("live_stash", id)
    assert {:ok, _} = Table.lookup(key)

    Table.delete(key)
    :ok = ViewServer.update(pid, {View, :put_count, [4]})
    assert Table.lookup(key) == :not_found

    :ok = ViewServer.update(pid, {View, :put_count, [5]})
    assert {:ok, %LiveStash.Record{assigns: %{count: 5}}} = Table.lookup(key)
  end

  test "reset_stash forgets the stash" do
    pid = stashed_view(Counter, 9)
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    pid = reconnect(pid, Counter)
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
  end

  test "a version mismatch is :error and drops the stale row" do
    view = Define.view!(LiveStash.ETSTest.Deployed, stored_keys: [:count], version: 1)
    pid = stashed_view(view, 3)
    params = Client.join_params(ViewServer.events(pid))
    [%{stashId: id}] = ViewServer.payloads(pid, @init_ets)
    ViewServer.stop(pid)

    Define.view!(LiveStash.ETSTest.Deployed, stored_keys: [:count], version: 2)
    pid = start!(view, params)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    assert Table.lookup(LiveStash.Adapters.StashId.row_key("live_stash", id)) == :not_found
  end

  test "a stash written by another LiveView module is rejected" do
    pid = stashed_view(Counter, 3)
    pid = reconnect(pid, Reloadable)
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

  test "a missing session key raises a helpful error" do
    capture_log(fn ->
      assert {:error, {%ArgumentError{message: message}, _}} =
               ViewServer.start(Bound, params: Client.fresh_params(), session: %{})

      assert message =~ "user_token"
      assert message =~ "session"
    end)
  end

  describe "reload recovery (restored: true on a fresh mount)" do
    test "is accepted when the view opts in" do
      pid = stashed_view(Reloadable, 6)
      pid = reconnect(pid, Reloadable, mounts: 0, restored: true)
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
    end

    test "is ignored by default" do
      pid = stashed_view(Counter, 6)
      pid = reconnect(pid, Counter, mounts: 0, restored: true)
      assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)
    end

    test "is still bound to the LiveView module" do
      pid = stashed_view(Counter, 6)
      pid = reconnect(pid, Reloadable, mounts: 0, restored: true)
      assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    end
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

    test "is bumped while the LiveView lives, so an idle view still recovers" do
      pid = stashed_view(Short, 8)
      Process.sleep(1_600)
      pid = reconnect(pid, Short)
      assert %{recover_status: :recovered, count: 8} = ViewServer.assigns(pid)
    end

    test "expired rows are swept from the table" do
      key = :crypto.strong_rand_bytes(32)
      Table.put(key, :value, 10)
      assert :ets.member(Table, key)
      Process.sleep(20)
      assert Table.lookup(key) == :not_found
      # the sweep interval is 200ms in the test config
      Process.sleep(450)
      refute :ets.member(Table, key)
    end
  end
end
