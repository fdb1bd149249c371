defmodule LiveStash.MnesiaClusterTest do
  @moduledoc """
  Mnesia across real `:peer` nodes: the shared cross-node cases, plus replication to
  nodes that join late and survival of a rolling restart.
  """
  use ExUnit.Case, async: false

  alias LiveStash.Adapters.Mnesia.Table
  alias LiveStash.Test.{MnesiaCounter, Peers}

  use LiveStash.Test.ClusterCases,
    view: MnesiaCounter,
    writer_gone: :newest,
    moves?: false

  def stored_count(node, stash_id) do
    key = LiveStash.Adapters.StashId.row_key("live_stash", stash_id)
    LiveStash.Test.AdapterCases.count_of(:erpc.call(node, Table, :lookup, [key]))
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
