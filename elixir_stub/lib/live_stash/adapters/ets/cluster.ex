defmodule LiveStash.Adapters.ETS.Cluster do
  @moduledoc """
  Finds the row of a stash that the view left on another node, and moves it here.

  **What a join contacts.** At most the node its hint names, nothing else. The hint
  (`LiveStash.Adapters.ETS.NodeHint`) names the node the view last ran on, the only node
  that writes its stash, so that node holds the newest row:

    * the hint names this node: a local read, no call at all (the common case)
    * it names a connected node: one call there, bounded by 2 s
    * it names a node we are not connected to: `:not_found`; whatever other nodes hold
      can only be older, and an older state passed off as current is worse than none
    * no hint, or one we cannot read (tampered, another secret): this node's table only.
      What the client sends never makes a join reach every node.

  **A frozen node counts as down.** A hinted node that does not answer within the call
  timeout (frozen, overloaded, partitioned) is treated as gone: the join is `:not_found`
  and the view moves to a new stash id, so the row left there is never recovered, even
  once the node answers again; it expires with its ttl. By then the view has gone on from
  a fresh state, and handing the old row back would roll that state back.

  **Only the owner takes the row.** The view and instance check (`LiveStash.Record.check/2`)
  runs on the node that holds the row, before anything is removed: another view's row (a
  sibling the official client handed the page's one stash, another LiveView module) stays
  in place for its owner. The owner's row is taken (moved, not copied) and rewritten here
  by the recovery, so no older copy is left for a later reconnect to find.
  """

  alias LiveStash.Adapters.ETS.{NodeHint, Table}
  alias LiveStash.Record

  @timeout 2_000

  @doc """
  The row of `key` for the view that expects `expected`: `{:ok, value}`, `:not_found`,
  or `{:not_found, :wrong_view}` for another view's row (left in place).
  """
  @spec lookup(binary(), Record.expected(), NodeHint.t()) ::
          {:ok, term()} | :not_found | {:not_found, :wrong_view}
  def lookup(key, _expected, :here), do: Table.lookup(key)
  def lookup(key, _expected, :unknown), do: Table.lookup(key)
  def lookup(_key, _expected, :gone), do: :not_found

  def lookup(key, expected, {:remote, node}) do
    case :erpc.call(node, __MODULE__, :take_owned, [key, expected], @timeout) do
      {:ok, _value} = found -> found
      {:not_found, :wrong_view} = other -> other
      _ -> :not_found
    end
  catch
    # A node still on 0.1.0 (a rolling deploy) has no take_owned/2.
    :error, {:exception, :undef, [{__MODULE__, :take_owned, _args, _where} | _]} ->
      take_checked(node, key, expected)

    # Down, frozen past the timeout, or without LiveStash: nothing we can trust.
    _kind, _reason ->
      :not_found
  end

  # Through what every release has: the row is read there, checked here, and only then
  # removed there, so that a sibling still leaves it in place for its owner.
  defp take_checked(node, key, expected) do
    with {:ok, value} <- row(:erpc.call(node, Table, :lookup, [key], @timeout)) do
      case Record.check(value, expected) do
        {:not_found, :wrong_view} = other ->
          other

        _mine ->
          _ = :erpc.call(node, Table, :delete, [key], @timeout)
          {:ok, value}
      end
    end
  catch
    _kind, _reason -> :not_found
  end

  # 0.1.0's rows carried a generation.
  defp row({:ok, value, _generation}), do: {:ok, value}
  defp row(found), do: found

  @doc false
  # Runs on the node that holds the row. A record this view must drop (another version,
  # unreadable) is taken too: it is of no use to anyone.
  @spec take_owned(binary(), Record.expected()) ::
          {:ok, term()} | :not_found | {:not_found, :wrong_view}
  def take_owned(key, expected) do
    with {:ok, value} <- Table.lookup(key) do
      case Record.check(value, expected) do
        {:not_found, :wrong_view} = other -> other
        _mine -> Table.take(key)
      end
    end
  end
end
