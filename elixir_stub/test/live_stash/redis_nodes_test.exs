defmodule LiveStash.RedisNodesTest do
  @moduledoc """
  Several real BEAM nodes (`:peer`) sharing one redis-server, as an app behind a load
  balancer without sticky sessions: a reconnect may land on any node, and must get the
  newest stash or nothing, never an older one (issue 12's rule for every adapter).
  """
  use ExUnit.Case, async: false

  import LiveStash.Test.RedisCase

  alias LiveStash.Test.{Client, Define, PeerNode, View, ViewServer}

  @view LiveStash.RedisNodesTest.Counter
  @opts [adapter: LiveStash.Adapters.Redis, stored_keys: [:count]]

  setup_all do
    context = start_redis!()
    Define.view!(@view, @opts)
    {peer, node_a} = start_peer!()
    on_exit(fn -> :peer.stop(peer) end)
    Map.put(context, :node_a, node_a)
  end

  # The peer gets this node's app env, so it points at the same Redis.
  defp start_peer! do
    {peer, node} = PeerNode.start!(Application.get_all_env(:live_stash))
    :erpc.call(node, Define, :view!, [@view, @opts])
    {peer, node}
  end

  # One page life on `node`: mount with `params` (returns the assigns the mount left),
  # optionally set the count, then drop the socket.
  defp visit(node, params, count \\ nil) do
    {:ok, pid} = :erpc.call(node, ViewServer, :start, [@view, [params: params]])
    assert node(pid) == node
    assigns = ViewServer.assigns(pid)
    if count, do: :ok = ViewServer.update(pid, {View, :put_count, [count]})
    next = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)
    {assigns, next}
  end

  test "stash on node A, recover on node B", %{node_a: a} do
    {_, params} = visit(a, Client.fresh_params(), 21)
    assert {%{recover_status: :recovered, count: 21}, _} = visit(node(), params)
  end

  test "ping-pong between nodes always recovers the newest write", %{node_a: a} do
    {_, params} = visit(a, Client.fresh_params(), 1)

    Enum.reduce(2..7, params, fn count, params ->
      node = if rem(count, 2) == 0, do: node(), else: a
      {%{recover_status: :recovered} = assigns, params} = visit(node, params, count)
      assert assigns.count == count - 1, "on #{node}: #{inspect(assigns)}"
      params
    end)
  end

  test "the node that wrote last is gone: another node still recovers its write" do
    {peer, b} = start_peer!()
    {_, params} = visit(b, Client.fresh_params(), 34)
    :peer.stop(peer)

    assert {%{recover_status: :recovered, count: 34}, _} = visit(node(), params)
  end

  test "a reset on one node is seen by every node", %{node_a: a} do
    {:ok, pid} = :erpc.call(a, ViewServer, :start, [@view, [params: Client.fresh_params()]])
    :ok = ViewServer.update(pid, {View, :put_count, [5]})
    old = Client.join_params(ViewServer.events(pid))
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)

    # the deleting runs in the background on A; the old id must stop recovering anywhere
    assert eventually(fn -> match?({%{recover_status: :not_found}, _}, visit(node(), old)) end)
    ViewServer.stop(pid)
  end
end
