defmodule LiveStash.Adapters.ETS.Table do
  @moduledoc false
  # Owns the node-local ETS table and sweeps expired rows.
  #
  # The table is public so LiveView processes read and write without a round trip
  # through this process; it only has to outlive them.
  #
  # Expiry uses this node's monotonic clock: a row moves to another node only as a value
  # that the view writes again there (`LiveStash.Adapters.ETS.Cluster`).

  use GenServer

  @table __MODULE__
  @default_sweep_ms 60_000

  @doc "Starts the process that owns the table and sweeps it (the adapter's child spec)."
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)

  @doc "Stores `value` under `key` for `ttl_ms`."
  @spec put(binary(), term(), pos_integer()) :: :ok
  def put(key, value, ttl_ms) do
    true = :ets.insert(@table, {key, value, now() + ttl_ms, ttl_ms})
    :ok
  end

  @doc "Removes the row under `key` and returns its live value."
  @spec take(binary()) :: {:ok, term()} | :not_found
  def take(key), do: live(:ets.take(@table, key))

  @doc "The live value under `key`; expired rows count as missing."
  @spec lookup(binary()) :: {:ok, term()} | :not_found
  def lookup(key), do: live(:ets.lookup(@table, key))

  defp live([{_key, value, expires_at, _ttl}]) do
    if expires_at > now(), do: {:ok, value}, else: :not_found
  end

  defp live([]), do: :not_found

  @doc "Pushes the row's expiry to `ttl` from now; false when there is no row."
  @spec touch(binary()) :: boolean()
  def touch(key) do
    case :ets.lookup(@table, key) do
      [{^key, _value, expires_at, ttl_ms}] ->
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
    :ets.select_delete(@table, [{{:_, :_, :"$1", :_}, [{:"=<", :"$1", now}], [true]}])
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

  defp now, do: LiveStash.Clock.monotonic_ms()
end
