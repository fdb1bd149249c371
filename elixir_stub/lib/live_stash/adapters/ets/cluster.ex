defmodule LiveStash.Adapters.ETS.Cluster do
  @moduledoc """
  Finds a row that may live on another node: here first, then on the hinted node,
  then on every other connected node (a hint can be missing or stale after a deploy).
  """

  alias LiveStash.Adapters.ETS.Table

  @timeout 2_000

  @spec lookup(binary(), node() | nil) :: {:ok, term()} | :not_found
  def lookup(key, hint) do
    with :not_found <- Table.lookup(key),
         :not_found <- remote(hint, key) do
      anywhere(Node.list() -- [hint], key)
    end
  end

  defp remote(nil, _key), do: :not_found

  defp remote(node, key) do
    case :erpc.call(node, Table, :lookup, [key], @timeout) do
      {:ok, _} = found -> found
      _ -> :not_found
    end
  catch
    # A node that went away or runs without LiveStash simply has nothing for us.
    _kind, _reason -> :not_found
  end

  defp anywhere([], _key), do: :not_found

  defp anywhere(nodes, key) do
    nodes
    |> :erpc.multicall(Table, :lookup, [key], @timeout)
    |> Enum.find_value(:not_found, fn
      {:ok, {:ok, _} = found} -> found
      _ -> nil
    end)
  end
end
