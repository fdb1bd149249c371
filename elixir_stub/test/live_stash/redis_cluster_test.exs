defmodule LiveStash.RedisClusterTest do
  @moduledoc """
  Real BEAM nodes (`:peer`) sharing one redis-server, as an app behind a load balancer
  without sticky sessions: the shared cross-node cases, plus what is particular to one
  shared store (a reset on one node is seen by all).
  """
  use ExUnit.Case, async: false

  import LiveStash.Test.RedisCase
  import LiveStash.Test.Flow, only: [eventually: 1]

  alias LiveStash.Adapters.Redis
  alias LiveStash.Test.{Client, Peers, RedisServer, Shutdown, View, ViewServer, Writers}

  @view LiveStash.RedisClusterTest.Counter
  @auto LiveStash.RedisClusterTest.Auto

  # Before ClusterCases' setup_all: the peers copy this node's app env, now pointing at
  # this server with the Redis adapter active.
  setup_all do
    start_redis!()
  end

  use LiveStash.Test.ClusterCases,
    view: @view,
    view_opts: [adapter: Redis, stored_keys: [:count]],
    writer_gone: :newest,
    moves?: false

  def stored_count(node, stash_id), do: redis_count(node, stash_id)

  test "a graceful shutdown writes what its views had pending, even while Redis is frozen",
       %{a: a, b: b, c: c, redis: redis} do
    {peer, d, pid, id} = Shutdown.pending_on_new_peer!([a, b, c], @auto, Redis, 8)
    on_exit(fn -> Peers.stop(peer) end)
    RedisServer.pause!(redis)

    try do
      # A stash that d's writer sends into the frozen Redis: it times out, and from then
      # on the writer sends nothing until Redis answers a PING again.
      :ok = ViewServer.update(pid, {LiveStash, :stash, []})
      assert {:error, :timeout} = Writers.settle_on(d, 1_000)

      # A newer state, pending in the view, goes to the writer when it is drained.
      :ok = ViewServer.update(pid, {View, :set_count, [9]})
      Shutdown.drain!(pid)
      # Only once the writer is being stopped does Redis answer again.
      Shutdown.stop_node!(d, Redis.Writer)
    after
      RedisServer.resume!(redis)
    end

    Shutdown.await_down!(d)
    assert stored_count(b, id) == 9
  end

  test "a write delayed on one node never lands over a newer one written from another",
       %{a: a, b: b, c: c} do
    assert LiveStash.Test.DelayedWrite.play(@view, Redis.Writer, a, b, c) == {:recovered, 3}
  end

  test "a reset on one node is seen by every node", %{a: a, b: b, c: c} do
    {:ok, pid} = :erpc.call(a, ViewServer, :start, [@view, [params: Client.fresh_params()]])
    :ok = ViewServer.update(pid, {View, :put_count, [5]})
    :ok = Writers.settle_on(a)
    old = Client.join_params(ViewServer.events(pid))
    id = old["liveStash"]["stashId"]
    assert stored_count(b, id) == 5

    # A deletes in the background; once it has, the old id recovers nowhere.
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    assert eventually(fn -> stored_count(b, id) == nil end)
    for node <- [a, b, c], do: assert({:not_found, 0, _} = visit(@view, node, old, nil))
    ViewServer.stop(pid)
  end
end
