defmodule LiveStash.Adapters.Mnesia.Table do
  @moduledoc false
  # The stash rows in a `ram_copies` Mnesia table that every node running the adapter
  # holds a copy of (see `LiveStash.Adapters.Mnesia.Replica`).
  #
  # Why transactions for every write: a transaction commits on every replica before it
  # returns, so once a view's stash returned, any node that survives holds that newest
  # row, and a reconnect anywhere reads it from its local copy. Locks also keep the sweep
  # from deleting a row that a keep-alive is refreshing at the same moment.
  #
  # Expiry is wall-clock time (rows travel between nodes, monotonic clocks do not), so a
  # node whose clock is skewed sees rows expire that much earlier or later.

  @table __MODULE__

  @doc false
  def name, do: @table

  @doc false
  def attributes, do: [:key, :value, :expires_at, :ttl_ms]

  @doc """
  Stores `value` under `key` for `ttl_ms` as the stash's `generation`, on every replica,
  unless a live row of a newer (or the same) generation is there: a write delayed on one
  node never replaces one written since from another. `:ok` either way.
  """
  @spec put(binary(), term(), pos_integer(), non_neg_integer()) :: :ok | {:error, term()}
  def put(key, value, ttl_ms, generation \\ 0) do
    transact(fn ->
      case :mnesia.read(@table, key, :write) do
        [{@table, ^key, stored, expires_at, _ttl}] ->
          if expires_at > now() and generation(stored) >= generation,
            do: :ok,
            else: write(key, {generation, value}, ttl_ms)

        [] ->
          write(key, {generation, value}, ttl_ms)
      end
    end)
  end

  defp write(key, value, ttl_ms), do: :mnesia.write({@table, key, value, now() + ttl_ms, ttl_ms})

  @doc "Reads the local copy; an expired row counts as missing even before the sweep."
  @spec lookup(binary()) :: {:ok, term()} | :not_found
  def lookup(key) do
    with {:ok, value, _generation} <- read(key), do: {:ok, value}
  end

  @doc "`lookup/1` with the row's generation."
  @spec read(binary()) :: {:ok, term(), non_neg_integer()} | :not_found
  def read(key) do
    case :mnesia.dirty_read(@table, key) do
      [{@table, ^key, stored, expires_at, _ttl}] ->
        if expires_at > now(), do: {:ok, value(stored), generation(stored)}, else: :not_found

      [] ->
        :not_found
    end
  end

  @doc """
  The generation of a stored value. Rows written before generations (a bare record)
  count as 0.
  """
  def generation({generation, _value}) when is_integer(generation), do: generation
  def generation(_bare), do: 0

  defp value({generation, value}) when is_integer(generation), do: value
  defp value(bare), do: bare

  @doc "Pushes a live row's expiry to its ttl from now; `:not_found` when there is none."
  @spec touch(binary()) :: :ok | :not_found | {:error, term()}
  def touch(key) do
    transact(fn ->
      case :mnesia.read(@table, key, :write) do
        [{@table, ^key, value, expires_at, ttl_ms}] ->
          if expires_at > now(),
            do: :mnesia.write({@table, key, value, now() + ttl_ms, ttl_ms}),
            else: :not_found

        [] ->
          :not_found
      end
    end)
  end

  @doc "Deletes the row under `key` on every replica."
  @spec delete(binary()) :: :ok | {:error, term()}
  def delete(key), do: transact(fn -> :mnesia.delete({@table, key}) end)

  @doc "Deletes every expired row in one transaction; returns how many went."
  @spec sweep() :: {:ok, non_neg_integer()} | {:error, term()}
  def sweep do
    expired = [{{@table, :"$1", :_, :"$2", :_}, [{:"=<", :"$2", now()}], [:"$1"]}]

    case :mnesia.transaction(fn ->
           keys = :mnesia.select(@table, expired, :write)
           Enum.each(keys, &:mnesia.delete({@table, &1}))
           length(keys)
         end) do
      {:atomic, count} -> {:ok, count}
      {:aborted, reason} -> {:error, reason}
    end
  end

  defp transact(fun) do
    case :mnesia.transaction(fun) do
      {:atomic, :ok} -> :ok
      {:atomic, :not_found} -> :not_found
      {:aborted, reason} -> {:error, reason}
    end
  end

  defp now, do: LiveStash.Clock.now_ms()
end
