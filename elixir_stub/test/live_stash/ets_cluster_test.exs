defmodule LiveStash.ETSClusterTest do
  @moduledoc """
  ETS across real `:peer` nodes: the shared cross-node cases, plus what is particular
  to a node-local table (the row moves with the view; a leftover copy loses to the
  newest).
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
      [{_key, %LiveStash.Record{assigns: %{count: count}}, _expires, _ttl, _stamp}] -> count
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
    [{k, record, expires, ttl, stamp}] = :erpc.call(b, :ets, :lookup, [Table, key(id)])
    older = put_in(record.assigns.count, 1)
    true = :erpc.call(c, :ets, :insert, [Table, {k, older, expires, ttl, stamp - 1_000_000}])

    no_hint = update_in(params["liveStash"], &Map.delete(&1, "node"))
    assert {:recovered, 2, _} = visit(ClusterCounter, a, no_hint, nil)
    assert stored_count(b, id) == nil
    assert stored_count(c, id) == nil
    assert stored_count(a, id) == 2
  end
end
