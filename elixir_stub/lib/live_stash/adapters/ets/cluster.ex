defmodule LiveStash.Adapters.ETS.Cluster do
  @moduledoc """
  Finds the newest row of a stash that may live on another node, and moves it here.

  Why the hint comes first: only the view's own process writes its stash, and the
  hint names the node that process last ran on, so the hinted node holds the newest
  row. Looking here first (as we once did) returned an older row left behind by an
  earlier recovery.

  Why move, not copy: the row is taken (`:ets.take/2`, atomic on its owner) from the
  hinted node and rewritten here by the recovery, so no older copy is left anywhere
  for a later reconnect to find.

  Why `:not_found` when the hinted node is gone: whatever other nodes hold can only be
  older, and handing back an older state as if it were current is worse than none.

  Only a missing or unreadable hint searches every node; it then takes every copy and
  keeps the one with the highest generation (see `LiveStash.Adapters.ETS.Generation`),
  which is the newest whatever the nodes' clocks say.

  Cost: a view that never moves reads its local table only; a moved view makes one
  remote call.
  """

  alias LiveStash.Adapters.ETS.{NodeHint, Table}

  @timeout 2_000

  @doc "The newest row of `key` as `{:ok, value, generation}`, or `:not_found`."
  @spec lookup(binary(), NodeHint.t()) :: {:ok, term(), pos_integer()} | :not_found
  def lookup(key, :here), do: Table.lookup(key)
  def lookup(key, {:remote, node}), do: take_from(node, key)
  def lookup(_key, :gone), do: :not_found
  def lookup(key, :unknown), do: newest_anywhere(key)

  defp take_from(node, key) do
    case :erpc.call(node, Table, :take, [key], @timeout) do
      {:ok, _value, _generation} = found -> found
      _ -> :not_found
    end
  catch
    # A node that went away or runs without LiveStash has nothing we can trust.
    _kind, _reason -> :not_found
  end

  defp newest_anywhere(key) do
    remote =
      Node.list()
      |> :erpc.multicall(Table, :take, [key], @timeout)
      |> Enum.flat_map(fn
        {:ok, {:ok, _value, _generation} = found} -> [found]
        _ -> []
      end)

    Enum.max_by([Table.take(key) | remote], &generation/1, fn -> :not_found end)
  end

  defp generation({:ok, _value, generation}), do: generation
  defp generation(:not_found), do: 0
end
