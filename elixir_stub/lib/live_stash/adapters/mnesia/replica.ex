defmodule LiveStash.Adapters.Mnesia.Replica do
  @moduledoc """
  Starts Mnesia if the app has not, and keeps a `ram_copies` copy of the stash table
  on this node, joined with every connected node that runs this adapter.

  A node started without a schema gets Mnesia's in-memory one; a node that is not
  distributed (`nonode@nohost`) simply has a single-node table.

  Joining happens at start (with `Node.list/0`) and on every `:nodeup`, so a node that
  joins later, or whose cluster is formed after the app booted (as libcluster does),
  gets its copy. When two nodes each created the table before meeting, Mnesia refuses
  to merge them; the node with the greater name then keeps its rows aside, drops its
  table, joins the other's and writes its rows back. Joins run under a cluster-wide
  lock so that only one such hand-over happens at a time.
  """

  use GenServer

  require Logger

  alias LiveStash.Adapters.Mnesia.Table

  @wait_ms 30_000

  @doc "Starts Mnesia and this node's copy of the table (the adapter's child spec)."
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)

  @impl true
  def init(_opts) do
    start_mnesia!()
    :ok = :net_kernel.monitor_nodes(true)
    join(running_replica(Node.list()))
    {:ok, %{}}
  end

  @impl true
  def handle_info({:nodeup, node}, state) do
    # A node whose replica is not up yet joins us itself when it starts.
    with [_ | _] = peers <- running_replica([node]), do: join(peers)
    {:noreply, state}
  end

  def handle_info(_other, state), do: {:noreply, state}

  defp join(peers), do: locked(fn -> peers |> merge() |> ensure_table() end)

  defp start_mnesia! do
    with {:error, reason} <- :mnesia.start() do
      raise "LiveStash.Adapters.Mnesia could not start Mnesia: #{inspect(reason)}. " <>
              "In a release, add :mnesia to your app's extra_applications " <>
              "(`extra_applications: [:logger, :mnesia]`)."
    end
  end

  # Only nodes where this adapter runs: never merge into an unrelated Mnesia cluster.
  defp running_replica(nodes) do
    nodes
    |> :erpc.multicall(Process, :whereis, [__MODULE__], 5_000)
    |> Enum.zip(nodes)
    |> Enum.flat_map(fn
      {{:ok, pid}, node} when is_pid(pid) -> [node]
      _ -> []
    end)
  end

  defp locked(fun) do
    if Node.alive?(),
      do: :global.trans({__MODULE__, self()}, fun, [node() | Node.list()]),
      else: fun.()
  end

  defp merge([]), do: []

  defp merge(peers) do
    case :mnesia.change_config(:extra_db_nodes, peers) do
      {:ok, _} -> []
      {:error, reason} -> hand_over(peers, reason)
    end
  end

  # Both sides made their own table before meeting. Only the greater node yields, so
  # the two never both drop theirs; the rows it held come back once it has joined.
  defp hand_over(peers, reason) do
    if node() > Enum.min(peers) do
      Logger.info("LiveStash.Mnesia hands its table over to #{inspect(peers)}: #{tag(reason)}")
      rows = :mnesia.dirty_select(Table.name(), [{:_, [], [:"$_"]}])
      {:atomic, :ok} = :mnesia.delete_table(Table.name())
      {:ok, _} = :mnesia.change_config(:extra_db_nodes, peers)
      rows
    else
      []
    end
  end

  defp tag(reason) when is_tuple(reason), do: inspect(elem(reason, 0))
  defp tag(reason), do: inspect(reason)

  defp ensure_table(rows) do
    case :mnesia.create_table(Table.name(),
           attributes: Table.attributes(),
           ram_copies: [node()]
         ) do
      {:atomic, :ok} -> :ok
      {:aborted, {:already_exists, _}} -> add_copy()
    end

    with {:timeout, _} <- :mnesia.wait_for_tables([Table.name()], @wait_ms) do
      # The copy keeps loading in the background; until then stashes may fail (logged).
      Logger.warning("LiveStash.Mnesia: the stash table is still loading on #{node()}")
    end

    {:atomic, :ok} = :mnesia.transaction(fn -> Enum.each(rows, &write_back/1) end)
    :ok
  end

  # A view may have moved between the two nodes before they met; keep the row of the
  # newer generation (of the one written last, for equal ones: rows of one view share
  # their TTL, so it is the one that expires last).
  defp write_back({table, key, value, expires_at, _ttl} = row) do
    case :mnesia.read(table, key, :write) do
      [{^table, ^key, theirs, their_expiry, _}] ->
        if {Table.generation(theirs), their_expiry} >= {Table.generation(value), expires_at},
          do: :ok,
          else: :mnesia.write(row)

      [] ->
        :mnesia.write(row)
    end
  end

  defp add_copy do
    case :mnesia.add_table_copy(Table.name(), node(), :ram_copies) do
      {:atomic, :ok} -> :ok
      {:aborted, {:already_exists, _, _}} -> :ok
    end
  end
end
