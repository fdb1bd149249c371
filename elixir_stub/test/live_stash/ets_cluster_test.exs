defmodule LiveStash.ETSClusterTest do
  @moduledoc """
  ETS across real `:peer` nodes: the shared cross-node cases, plus what is particular
  to a node-local table (the row moves with the view; a leftover copy loses to the
  newest, by generation, whatever the nodes' clocks).
  """
  use ExUnit.Case, async: false

  alias LiveStash.Adapters.ETS
  alias LiveStash.Adapters.ETS.Table
  alias LiveStash.Adapters.StashId
  alias LiveStash.Test.ClusterCounter

  use LiveStash.Test.ClusterCases,
    view: ClusterCounter,
    peer_env: [adapters: [ETS, LiveStash.Adapters.BrowserMemory]],
    writer_gone: :not_found,
    moves?: true

  def stored_count(node, stash_id) do
    case :erpc.call(node, :ets, :lookup, [Table, key(stash_id)]) do
      [{_key, %LiveStash.Record{assigns: %{count: count}}, _expires, _ttl, _generation}] -> count
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

  test "a stash that is on no node is :not_found", %{a: a, b: b} do
    params = first_stash(ClusterCounter, a, 1)
    true = :erpc.call(a, :ets, :delete_all_objects, [Table])
    assert {:not_found, 0, _} = visit(ClusterCounter, b, params, nil)
  end

  test "without a hint, the newest of several copies wins and the others go", ctx do
    %{a: a, b: b, c: c} = ctx
    params = first_stash(ClusterCounter, a, 1)
    assert {:recovered, 1, params} = visit(ClusterCounter, b, params, 2)
    id = params["liveStash"]["stashId"]

    # An older copy left on C, as a partition could leave one.
    [{k, record, expires, ttl, generation}] = :erpc.call(b, :ets, :lookup, [Table, key(id)])
    older = put_in(record.assigns.count, 1)
    true = :erpc.call(c, :ets, :insert, [Table, {k, older, expires, ttl, generation - 1}])

    assert {:recovered, 2, _} = visit(ClusterCounter, a, no_hint(params), nil)
    assert stored_count(b, id) == nil
    assert stored_count(c, id) == nil
    assert stored_count(a, id) == 2
  end

  test "without a hint, the newest copy wins over an older one written later (a clock ahead)",
       ctx do
    %{a: a, b: b, c: c} = ctx
    params = first_stash(ClusterCounter, a, 1)
    id = params["liveStash"]["stashId"]
    # The row as A wrote it, before the view moved on to B and stashed 2 there.
    [{k, older, _expires, ttl, generation}] = :erpc.call(a, :ets, :lookup, [Table, key(id)])
    assert {:recovered, 1, params} = visit(ClusterCounter, b, params, 2)

    # A partition leaves that older copy on C, stored there after B's newest write: by
    # the wall clock (and so on a node whose clock runs ahead of B's) it looks newer.
    :ok = :erpc.call(c, Table, :put, [k, older, ttl, generation])

    assert {:recovered, 2, _} = visit(ClusterCounter, a, no_hint(params), nil)
    assert stored_count(c, id) == nil
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
    assert {:recovered, 7, _} = visit(ClusterCounter, c, no_hint(params), nil)
  end

  defp no_hint(params), do: update_in(params["liveStash"], &Map.delete(&1, "node"))
end
