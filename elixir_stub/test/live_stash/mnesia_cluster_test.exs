defmodule LiveStash.MnesiaClusterTest do
  @moduledoc """
  Mnesia across real `:peer` nodes: the shared cross-node cases, plus replication to
  nodes that join late and survival of a rolling restart.
  """
  use ExUnit.Case, async: false

  import LiveStash.Test.Flow, only: [reconnect: 2, stashed_view: 2]
  import LiveStash.Test.AdapterCases, only: [stash_id: 2]

  alias LiveStash.Adapters.Mnesia
  alias LiveStash.Adapters.Mnesia.Table
  alias LiveStash.Test.{MnesiaCounter, Peers, Shutdown, View, ViewServer, Writers}

  use LiveStash.Test.ClusterCases,
    view: MnesiaCounter,
    writer_gone: :newest,
    moves?: false

  def stored_count(node, stash_id) do
    key = LiveStash.Adapters.StashId.row_key("live_stash", stash_id)
    LiveStash.Test.AdapterCases.count_of(:erpc.call(node, Table, :lookup, [key]))
  end

  @auto LiveStash.MnesiaClusterTest.Auto

  test "a frozen replica holds up no event; the newest state lands on every replica once it thaws",
       %{a: a, b: b, c: c} do
    {peer, e} = Peers.start!([a, b, c])
    on_exit(fn -> Peers.stop(peer) end)
    os_pid = :erpc.call(e, System, :pid, [])

    # The view runs here; every write is a transaction that needs e's lock manager.
    pid = stashed_view(MnesiaCounter, 1)
    id = stash_id(pid, "live-stash:init-mnesia")
    :ok = Writers.settle()
    {_, 0} = System.cmd("kill", ["-STOP", os_pid])

    try do
      # Each of these used to wait until e thawed or was seen as down (net_ticktime).
      for count <- 2..6, do: :ok = ViewServer.update(pid, {View, :put_count, [count]})
      assert {:error, :timeout} = Writers.settle(300), "the writes did not wait for e"

      # A reconnect on this node, still during the freeze, recovers the newest state.
      pid = reconnect(pid, MnesiaCounter)
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
      ViewServer.stop(pid)
    after
      {_, 0} = System.cmd("kill", ["-CONT", os_pid])
    end

    :ok = Writers.settle()
    for node <- [node(), a, e], do: assert(stored_count(node, id) == 6)
  end

  test "a graceful shutdown writes what its views had pending to the surviving replicas",
       %{a: a, b: b, c: c} do
    {peer, d, pid, id} = Shutdown.pending_on_new_peer!([a, b, c], @auto, Mnesia, 9)
    on_exit(fn -> Peers.stop(peer) end)

    # A transaction here holds the table, so d's write waits as it would for a slow
    # replica; the write is handed over when the view is drained.
    locker = hold_table()
    Shutdown.drain!(pid)
    # Only once d's writer is being stopped does the table become free.
    Shutdown.stop_node!(d, Mnesia.Writer)
    send(locker, :release)

    Shutdown.await_down!(d)
    for node <- [node(), a, b, c], do: assert(stored_count(node, id) == 9)
  end

  defp hold_table do
    test = self()

    locker =
      spawn(fn ->
        :mnesia.transaction(fn ->
          _nodes = :mnesia.lock({:table, Table}, :write)
          send(test, :locked)
          receive(do: (:release -> :ok))
        end)
      end)

    assert_receive :locked, 5_000
    locker
  end

  test "a write delayed on one node never lands over a newer one written from another",
       %{a: a, b: b, c: c} do
    assert LiveStash.Test.DelayedWrite.play(MnesiaCounter, Mnesia.Writer, a, b, c) ==
             {:recovered, 3}
  end

  test "every node holds a ram copy of the table", %{a: a, b: b, c: c} do
    copies = :erpc.call(a, :mnesia, :table_info, [Table, :ram_copies])
    assert Enum.all?([a, b, c], &(&1 in copies)), inspect(copies)
    assert :erpc.call(c, :mnesia, :table_info, [Table, :storage_type]) == :ram_copies
  end

  test "rolling restart: the writer stops, a node that joins later recovers", ctx do
    %{a: a, b: b, c: c} = ctx
    {old, d} = Peers.start!([a, b, c])
    params = first_stash(MnesiaCounter, d, 9)
    Peers.stop(old)

    assert {:recovered, 9, params} = visit(MnesiaCounter, c, params, 10)

    {new, e} = Peers.start!([a, b, c])
    on_exit(fn -> Peers.stop(new) end)
    assert stored_count(e, params["liveStash"]["stashId"]) == 10
    assert {:recovered, 10, _} = visit(MnesiaCounter, e, params, nil)
  end
end
