defmodule LiveStash.Adapters.Mnesia.JoinTest do
  @moduledoc """
  How the Mnesia adapter forms its table on nodes this suite is not connected to:
  a node that is not distributed, and two nodes that each booted alone (each made its
  own table) and meet afterwards, as nodes joined by libcluster after boot do.
  """
  use ExUnit.Case, async: false

  alias LiveStash.Store.StashId
  alias LiveStash.Adapters.Mnesia.Table
  alias LiveStash.Test.{ClusterCases, Client, MnesiaCounter, Peers}
  import LiveStash.Test.Flow, only: [eventually: 2]

  defp visit(peer, node, params, count),
    do: :peer.call(peer, ClusterCases, :visit, [MnesiaCounter, node, params, count])

  test "a node that is not distributed keeps a single-node table" do
    {peer, node} = Peers.start_isolated!(nil)
    on_exit(fn -> Peers.stop(peer) end)
    assert node == :nonode@nohost

    {:new, 0, params} = visit(peer, node, Client.fresh_params(), 4)
    assert {:recovered, 4, _} = visit(peer, node, params, nil)
    assert :peer.call(peer, :mnesia, :table_info, [Table, :ram_copies]) == [node]
  end

  test "with Mnesia stopped, a stash fails without crashing the view and recovery is :error" do
    {peer, node} = Peers.start_isolated!(nil)
    on_exit(fn -> Peers.stop(peer) end)
    {:new, 0, params} = visit(peer, node, Client.fresh_params(), 4)

    :stopped = :peer.call(peer, :mnesia, :stop, [])
    assert {:error, 0, _} = visit(peer, node, params, 5)
    assert {:new, 0, _} = visit(peer, node, Client.fresh_params(), 6)
  end

  test "two nodes that made their own tables merge them when they meet, keeping both rows" do
    {px, x} = Peers.start_isolated!(Peers.unique_name("live_stash_x", ""))
    {py, y} = Peers.start_isolated!(Peers.unique_name("live_stash_y", ""))
    on_exit(fn -> Enum.each([px, py], &Peers.stop/1) end)

    {:new, 0, on_x} = visit(px, x, Client.fresh_params(), 1)
    {:new, 0, on_y} = visit(py, y, Client.fresh_params(), 2)

    true = :peer.call(px, Node, :connect, [y])
    # Joining is asynchronous (it follows :nodeup): poll, up to 10 s.
    assert eventually(fn -> both_hold_copies?(px, py, x, y) end, 500)

    for {peer, node} <- [{px, x}, {py, y}] do
      assert {:recovered, 1, _} = visit(peer, node, on_x, nil)
      assert {:recovered, 2, _} = visit(peer, node, on_y, nil)
    end

    key = StashId.row_key("live_stash", on_x["liveStash"]["stashId"])
    assert {:ok, _} = :peer.call(py, Table, :lookup, [key])
  end

  defp both_hold_copies?(px, py, x, y) do
    Enum.all?([px, py], fn peer ->
      copies = :peer.call(peer, :mnesia, :table_info, [Table, :active_replicas])
      x in copies and y in copies
    end)
  end
end
