defmodule LiveStash.ClusterTest do
  @moduledoc """
  Cross-node recovery with two real BEAM nodes: the stash is written on a peer node and
  the reconnect lands on this one. Needs `epmd` (started here if it is not running);
  if distribution cannot start, the test fails rather than being skipped.
  """
  use ExUnit.Case, async: false

  alias LiveStash.Test.{Client, ClusterCounter, View, ViewServer}

  setup_all do
    ensure_distributed!()

    # not start_link: setup_all's process exits once setup is done, and would take the peer along
    {:ok, peer, peer_node} =
      :peer.start(%{
        name: :"live_stash_peer_#{System.unique_integer([:positive])}",
        host: ~c"127.0.0.1",
        longnames: true,
        args: [~c"-setcookie", Atom.to_charlist(Node.get_cookie())]
      })

    true = :erpc.call(peer_node, :code, :set_path, [:code.get_path()])

    :ok =
      :erpc.call(peer_node, Application, :put_all_env, [
        [live_stash: Application.get_all_env(:live_stash)]
      ])

    {:ok, _} = :erpc.call(peer_node, Application, :ensure_all_started, [:live_stash])

    on_exit(fn -> :peer.stop(peer) end)
    %{peer: peer, peer_node: peer_node}
  end

  defp ensure_distributed! do
    unless Node.alive?() do
      # `epmd -daemon` is a no-op when epmd already runs.
      {_, 0} = System.cmd("epmd", ["-daemon"])
      name = :"live_stash_test_#{System.unique_integer([:positive])}@127.0.0.1"

      case Node.start(name, :longnames) do
        {:ok, _} ->
          :ok

        {:error, reason} ->
          flunk("cannot start distribution (is epmd available?): #{inspect(reason)}")
      end
    end
  end

  defp stash_on(peer_node, count) do
    {:ok, pid} =
      :erpc.call(peer_node, ViewServer, :start, [ClusterCounter, [params: Client.fresh_params()]])

    assert node(pid) == peer_node
    :ok = ViewServer.update(pid, {View, :put_count, [count]})
    params = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)
    params
  end

  defp start_here(params) do
    {:ok, pid} = ViewServer.start(ClusterCounter, params: params)
    pid
  end

  test "a reconnect on another node recovers from the hinted node", %{peer_node: peer_node} do
    params = stash_on(peer_node, 21)
    hint = params["liveStash"]["node"]
    assert LiveStash.Adapters.ETS.NodeHint.decode(LiveStash.Test.Endpoint, hint) == peer_node

    pid = start_here(params)
    assert %{recover_status: :recovered, count: 21} = ViewServer.assigns(pid)

    # the hint now names this node, and the recovered stash was copied here
    next = Client.join_params(ViewServer.events(pid))
    assert next["liveStash"]["stashId"] == params["liveStash"]["stashId"]
    assert next["liveStash"]["node"] != params["liveStash"]["node"]
    ViewServer.stop(pid)

    true = :erpc.call(peer_node, :ets, :delete_all_objects, [LiveStash.Adapters.ETS.Table])
    pid = start_here(next)
    assert %{recover_status: :recovered, count: 21} = ViewServer.assigns(pid)
  end

  test "without a usable hint the whole cluster is searched", %{peer_node: peer_node} do
    params = stash_on(peer_node, 34)

    no_hint = update_in(params["liveStash"], &Map.delete(&1, "node"))
    assert %{recover_status: :recovered, count: 34} = ViewServer.assigns(start_here(no_hint))

    bad_hint = put_in(params["liveStash"]["node"], "not-a-hint")
    assert %{recover_status: :recovered, count: 34} = ViewServer.assigns(start_here(bad_hint))
  end

  test "a stash that is on no node is :not_found", %{peer_node: peer_node} do
    params = stash_on(peer_node, 1)
    true = :erpc.call(peer_node, :ets, :delete_all_objects, [LiveStash.Adapters.ETS.Table])
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(start_here(params))
  end
end
