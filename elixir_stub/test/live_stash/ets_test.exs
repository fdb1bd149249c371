defmodule LiveStash.ETSTest do
  use ExUnit.Case, async: true

  import ExUnit.CaptureLog

  alias LiveStash.Adapters.ETS.Table
  alias LiveStash.Adapters.StashId
  alias LiveStash.Test.{Client, View, ViewServer}

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

  use LiveStash.Test.AdapterCases,
    init: @init_ets,
    views: [counter: Counter, short: Short, bound: Bound, other: Reloadable],
    deployed: {LiveStash.ETSTest.Deployed, []},
    rotates_on_drop?: true

  def stored_count(id), do: count_of(Table.lookup(StashId.row_key("live_stash", id)))

  def delete_stored(id), do: Table.delete(StashId.row_key("live_stash", id))

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

  test "only stored_keys are stashed" do
    pid = start!(Counter, Client.fresh_params())

    :ok =
      ViewServer.update(pid, &(&1 |> Phoenix.Component.assign(:other, :x) |> View.put_count(2)))

    pid = reconnect(pid, Counter)
    assert %{count: 2, recover_status: :recovered} = assigns = ViewServer.assigns(pid)
    refute Map.has_key?(assigns, :other)
  end

  test "garbage liveStash params do not crash the mount" do
    for entry <- [%{"stashId" => 42}, "nonsense", %{"node" => "x", "stashId" => "nope"}, nil, [1]] do
      pid = start!(Counter, %{"_mounts" => 1, "liveStash" => entry})
      assert ViewServer.assigns(pid).recover_status in [:not_found, :new]
    end
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

    test "is still bound to the LiveView module: another module's stash is :not_found" do
      pid = stashed_view(Counter, 6)

      {pid, log} = with_warnings(fn -> reconnect(pid, Reloadable, mounts: 0, restored: true) end)
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, Reloadable, "the stash belongs to another view")
    end

    test "skips the instance check: the reloaded page's root has a new id" do
      pid = stashed_view(Reloadable, 6)
      old_id = ViewServer.socket(pid).id
      pid = reconnect(pid, Reloadable, mounts: 0, restored: true)
      refute ViewServer.socket(pid).id == old_id
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
    end
  end

  describe "TTL" do
    test "expired rows are swept from the table" do
      key = :crypto.strong_rand_bytes(32)
      Table.put(key, :value, 10)
      assert :ets.member(Table, key)
      Process.sleep(20)
      assert Table.lookup(key) == :not_found
      # the sweep interval is 200ms in the test config
      assert eventually(fn -> not :ets.member(Table, key) end)
    end
  end
end
