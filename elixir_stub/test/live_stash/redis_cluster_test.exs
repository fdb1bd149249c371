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
  alias LiveStash.Test.{Client, View, ViewServer, Writers}

  @view LiveStash.RedisClusterTest.Counter

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
