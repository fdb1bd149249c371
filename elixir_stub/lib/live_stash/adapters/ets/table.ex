defmodule LiveStash.Adapters.ETS.Table do
  @moduledoc """
  Owns the node-local ETS table and sweeps expired rows.

  The table is public so LiveView processes read and write without a round trip
  through this process; it only has to outlive them.

  Each row carries its stash's generation (see `LiveStash.Adapters.ETS.Generation`). Only
  a reconnect without a usable node hint looks at it, to keep the newest of several
  copies (possible only after a partition); no wall clock is compared across nodes.
  Expiry uses this node's monotonic clock, as rows never leave it.
  """

  use GenServer

  @table __MODULE__
  @default_sweep_ms 60_000

  @doc "Starts the process that owns the table and sweeps it (the adapter's child spec)."
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)

  @doc "Stores `value` under `key` for `ttl_ms`, as the stash's `generation`."
  @spec put(binary(), term(), pos_integer(), pos_integer()) :: :ok
  def put(key, value, ttl_ms, generation) do
    true = :ets.insert(@table, {key, value, now() + ttl_ms, ttl_ms, generation})
    :ok
  end

  @doc "Removes the row under `key` and returns its live value and generation."
  @spec take(binary()) :: {:ok, term(), pos_integer()} | :not_found
  def take(key), do: live(:ets.take(@table, key))

  @doc "The live value under `key` and its generation; expired rows count as missing."
  @spec lookup(binary()) :: {:ok, term(), pos_integer()} | :not_found
  def lookup(key), do: live(:ets.lookup(@table, key))

  defp live([{_key, value, expires_at, _ttl, generation}]) do
    if expires_at > now(), do: {:ok, value, generation}, else: :not_found
  end

  defp live([]), do: :not_found

  @doc "Pushes the row's expiry to `ttl` from now; false when there is no row."
  @spec touch(binary()) :: boolean()
  def touch(key) do
    case :ets.lookup(@table, key) do
      [{^key, _value, expires_at, ttl_ms, _generation}] ->
        expires_at > now() and :ets.update_element(@table, key, {3, now() + ttl_ms})

      [] ->
        false
    end
  end

  @doc "Removes the row under `key`, if any."
  @spec delete(binary()) :: :ok
  def delete(key) do
    true = :ets.delete(@table, key)
    :ok
  end

  @doc "Removes every expired row now; returns how many went."
  @spec sweep() :: non_neg_integer()
  def sweep do
    now = now()
    :ets.select_delete(@table, [{{:_, :_, :"$1", :_, :_}, [{:"=<", :"$1", now}], [true]}])
  end

  @impl true
  def init(_opts) do
    :ets.new(@table, [
      :named_table,
      :public,
      :set,
      read_concurrency: true,
      write_concurrency: true
    ])

    {:ok, schedule(%{})}
  end

  @impl true
  def handle_info(:sweep, state) do
    sweep()
    {:noreply, schedule(state)}
  end

  defp schedule(state) do
    Process.send_after(
      self(),
      :sweep,
      Application.get_env(:live_stash, :ets_sweep_interval, @default_sweep_ms)
    )

    state
  end

  defp now, do: System.monotonic_time(:millisecond)
end
