defmodule LiveStash.ETSClusterTest do
  @moduledoc """
  ETS across real `:peer` nodes: the shared cross-node cases, plus what is particular
  to a node-local table: the row moves with the view, only after the node that holds it
  found it is this view's; a join reaches no node but its hint's and its own; a hinted
  node that does not answer in time counts as down.
  """
  use ExUnit.Case, async: false

  alias LiveStash.Adapters.ETS
  alias LiveStash.Adapters.ETS.Table
  alias LiveStash.Adapters.StashId
  alias LiveStash.Test.{ClusterCounter, Peers}

  use LiveStash.Test.ClusterCases,
    view: ClusterCounter,
    peer_env: [adapters: [ETS, LiveStash.Adapters.BrowserMemory]],
    writer_gone: :not_found,
    moves?: true,
    hintless: :not_found

  def stored_count(node, stash_id) do
    case :erpc.call(node, :ets, :lookup, [Table, key(stash_id)]) do
      [{_key, %LiveStash.Record{assigns: %{count: count}}, _expires, _ttl}] -> count
      [] -> nil
    end
  end

  defp key(stash_id), do: StashId.row_key("live_stash", stash_id)

  test "the hint names the last writer, and the client cannot read it", %{a: a, b: b} do
    params = first_stash(ClusterCounter, a, 21)
    hint = params["liveStash"]["node"]
    assert ETS.NodeHint.decode(LiveStash.Test.Endpoint, hint) == {:remote, a}
    refute hint =~ Atom.to_string(a)

    assert {:recovered, 21, next} = visit(ClusterCounter, b, params, nil)
    assert next["liveStash"]["stashId"] == params["liveStash"]["stashId"]
    assert ETS.NodeHint.decode(LiveStash.Test.Endpoint, next["liveStash"]["node"]) == {:remote, b}
  end

  test "a hinted node still on 0.1.0 (no take_owned/2, a rolling deploy) hands the owner its row",
       %{a: a, b: b} do
    params = first_stash(ClusterCounter, a, 42)
    id = params["liveStash"]["stashId"]
    as_release_0_1_0!(a)

    try do
      assert {:not_found, 0, _} = visit(ClusterCounter, b, params, nil, "phx-F8cluster-sibling")
      assert stored_count(a, id) == 42

      assert {:recovered, 42, _} = visit(ClusterCounter, b, params, nil)
      assert stored_count(a, id) == nil
    after
      :ok = restore_release!(a)
    end
  end

  # What a 0.1.0 node answers: its Cluster module has no take_owned/2.
  defp as_release_0_1_0!(node) do
    :erpc.call(node, Code, :compiler_options, [[ignore_module_conflict: true]])

    stub =
      "defmodule #{inspect(LiveStash.Adapters.ETS.Cluster)}, do: def(lookup(_, _, _), do: :not_found)"

    [_] = :erpc.call(node, Code, :compile_string, [stub])
  end

  defp restore_release!(node) do
    _ = :erpc.call(node, :code, :purge, [LiveStash.Adapters.ETS.Cluster])
    {:module, _} = :erpc.call(node, :code, :load_file, [LiveStash.Adapters.ETS.Cluster])
    :ok
  end

  test "a stash that is on no node is :not_found", %{a: a, b: b} do
    params = first_stash(ClusterCounter, a, 1)
    true = :erpc.call(a, :ets, :delete_all_objects, [Table])
    assert {:not_found, 0, _} = visit(ClusterCounter, b, params, nil)
  end

  test "a sibling view looking first from another node leaves the owner's stash in place",
       %{a: a, b: b, c: c} do
    # The official client hands the page's one stash to every view on it.
    params = first_stash(ClusterCounter, a, 42)
    id = params["liveStash"]["stashId"]

    assert {:not_found, 0, _} = visit(ClusterCounter, b, params, nil, "phx-F8cluster-sibling")
    assert stored_count(a, id) == 42

    assert {:recovered, 42, _} = visit(ClusterCounter, c, params, nil)
  end

  test "a join without a hint reads only its own node; the hinted join still recovers", ctx do
    %{a: a, b: b, c: c} = ctx
    params = first_stash(ClusterCounter, a, 3)
    assert {:recovered, 3, params} = visit(ClusterCounter, b, params, 4)
    id = params["liveStash"]["stashId"]

    # No fan-out: C neither finds nor takes the row B holds.
    assert {:not_found, 0, _} = visit(ClusterCounter, c, no_hint(params), nil)
    assert stored_count(b, id) == 4
    # On the node that wrote last, the local read finds it.
    assert {:recovered, 4, _} = visit(ClusterCounter, b, no_hint(params), nil)
    assert {:recovered, 4, _} = visit(ClusterCounter, a, params, nil)
  end

  test "a hinted node frozen past the call timeout counts as down, also once it thaws", ctx do
    %{a: a, b: b, c: c, peer_env: env} = ctx
    {peer, d} = start_peer!([a, b, c], env, ClusterCounter, nil)
    on_exit(fn -> Peers.stop(peer) end)
    os_pid = :erpc.call(d, System, :pid, [])
    params = first_stash(ClusterCounter, d, 5)
    old_id = params["liveStash"]["stashId"]
    {_, 0} = System.cmd("kill", ["-STOP", os_pid])

    {elapsed_us, result} =
      try do
        :timer.tc(fn -> visit(ClusterCounter, b, params, 7) end)
      after
        {_, 0} = System.cmd("kill", ["-CONT", os_pid])
      end

    assert {:not_found, 0, params} = result
    assert elapsed_us < 6_000_000, "the join waited #{div(elapsed_us, 1000)} ms"
    refute params["liveStash"]["stashId"] == old_id

    # D answers again; the view went on from 7, and the 5 it left behind never returns.
    assert {:recovered, 7, params} = visit(ClusterCounter, d, params, nil)
    assert {:recovered, 7, _} = visit(ClusterCounter, c, params, nil)
  end

  test "a reconnect that recovers nothing moves to a new id: an old copy found later never wins",
       ctx do
    %{a: a, b: b, c: c} = ctx
    params = first_stash(ClusterCounter, a, 1)
    id = params["liveStash"]["stashId"]

    # Many writes on A, whose row B cannot reach (as in a partition) on the next reconnect.
    params =
      Enum.reduce(2..6, params, fn count, params ->
        assert {:recovered, _, params} = visit(ClusterCounter, a, params, count)
        params
      end)

    [row] = :erpc.call(a, :ets, :take, [Table, key(id)])
    assert {:not_found, 0, params} = visit(ClusterCounter, b, params, 7)
    assert params["liveStash"]["stashId"] != id

    # The partition heals with A still holding its copy of the old id.
    true = :erpc.call(a, :ets, :insert, [Table, row])
    assert {:recovered, 7, _} = visit(ClusterCounter, c, params, nil)
  end

  defp no_hint(params), do: update_in(params["liveStash"], &Map.delete(&1, "node"))
end
