defmodule LiveStash.Adapters.WriteBehind do
  @moduledoc """
  Writes a server adapter's rows outside the LiveView process, so a store that stalls
  (a Redis busy in `DEBUG SLEEP` or frozen, a Mnesia replica that is unreachable but not
  yet seen as down) costs a click nothing. The Redis and Mnesia adapters each run one,
  started by their `child_specs/0`.

  A LiveView hands its write over and goes on: the write becomes a row in this writer's
  public ETS table, one row per stash key (a binary). A newer write replaces a pending
  older one (latest wins), and a delete replaces a pending write, so it is never
  overtaken by it. At most one write per key is in the store's hands at a time, so the
  writes of a stash land in the order they were made; up to 64 keys are written at once
  (pipelined on Redis's one connection).

  "Latest wins" holds per node only: a write that waits here may be older than one another
  node wrote meanwhile (the client moved on). So the stores never take a write blindly:
  every row carries its stash's generation, and the store refuses a write whose
  generation is not newer than the row's (Redis in a Lua compare-and-set, Mnesia inside
  the transaction). A refused write counts as done: something newer is stored.

  **Reads.** `lookup/2` answers from a pending row; the adapter compares it with the
  store's row (when the store answers) and recovers the newer generation, so a view that
  reconnects on this node during a stall recovers what it last stashed, and never a row
  older than one another node wrote.

  **Failures.** A failed write keeps its row. The writer backs off (100 ms, doubling up
  to 5 s), asks the store whether it answers again (`c:probe/0`: for Redis a `PING`,
  because a write that timed out may still sit on the connection, and re-sending into a
  store that does not answer would only pile copies up) and then writes the newest
  state. The first failure of each stash is logged once, naming the LiveView module and
  the reason, not once per write.

  **Memory.** One row per stash key. A row lives as long as the stash would: the ttl from
  its last write, pushed forward by the view's keep-alive (`touch/4`). So a view that
  outlives an outage still gets its newest state written when the store is back, and the
  row of a view that went away expires unwritten after the ttl, with one warning.

  **Shutdown.** The writer traps exits: when its supervisor stops it (a graceful node
  shutdown, SIGTERM, a rolling deploy) it goes on writing what is pending for up to
  5 seconds (`flush_ms/0`), then logs what it could not write. A crash or `kill -9`
  of the node loses the pending rows (normally a few milliseconds' worth).
  """

  use GenServer

  require Logger

  @typedoc """
  What a row asks of the store. A touch may carry what the store needs to refresh the
  row (the Redis adapter re-seals it, since its expiry is inside its MAC).
  """
  @type op ::
          {:put, value :: term(), ttl_ms :: pos_integer()}
          | :delete
          | {:touch, pos_integer()}
          | {:touch, pos_integer(), context :: term()}

  @doc "Performs one operation on the store."
  @callback write(key :: binary(), op()) :: :ok | {:error, term()}

  @doc """
  Optional: `:ok` once the store answers again after a failure. Without it, the writer
  simply tries the write again after the backoff.
  """
  @callback probe() :: :ok | {:error, term()}

  @optional_callbacks probe: 0

  @max_in_flight 64
  @min_backoff_ms 100
  @max_backoff_ms 5_000
  @flush_ms 5_000

  @doc "How long a graceful shutdown waits for pending writes by default (ms)."
  def flush_ms, do: @flush_ms

  @doc """
  Options: `:name` (of the process and its table), `:store` (a module of this
  behaviour), and `:flush_ms` (the shutdown bound, default `flush_ms/0`).
  """
  def child_spec(opts) do
    name = Keyword.fetch!(opts, :name)
    flush_ms = Keyword.get(opts, :flush_ms, @flush_ms)
    # The supervisor must give terminate/2 its whole flush before killing it.
    %{id: name, start: {__MODULE__, :start_link, [opts]}, shutdown: flush_ms + 1_000}
  end

  @doc "Starts the writer named `opts[:name]` (see `child_spec/1` for the options)."
  def start_link(opts),
    do: GenServer.start_link(__MODULE__, opts, name: Keyword.fetch!(opts, :name))

  @doc """
  Hands over a write of `value` under `key`, kept for `ttl_ms`. Runs in the LiveView
  process and never waits for the store. `view` names the LiveView in log lines.
  """
  @spec put(atom(), binary(), term(), pos_integer(), module()) :: :ok | {:error, :not_running}
  def put(writer, key, value, ttl_ms, view) when is_binary(key),
    do: enqueue(writer, key, {:put, value, ttl_ms}, ttl_ms, view)

  @doc "Hands over the deletion of `key`; it replaces a pending write of that key."
  @spec delete(atom(), binary(), pos_integer(), module()) :: :ok | {:error, :not_running}
  def delete(writer, key, ttl_ms, view) when is_binary(key),
    do: enqueue(writer, key, :delete, ttl_ms, view)

  @doc """
  The keep-alive: a pending row of `key` lives `ttl_ms` longer (its write sets the ttl
  anyway); without one, the store is asked to extend the stored row.
  """
  @spec touch(atom(), binary(), pos_integer(), module(), term()) :: :ok | {:error, :not_running}
  def touch(writer, key, ttl_ms, view, context \\ nil) when is_binary(key) do
    deadline = deadline(ttl_ms)
    op = if context == nil, do: {:touch, ttl_ms}, else: {:touch, ttl_ms, context}

    unless :ets.update_element(writer, key, {4, deadline}) do
      row = {key, :erlang.unique_integer([:monotonic]), op, deadline, view}
      if :ets.insert_new(writer, row), do: notify(writer, key)
    end

    :ok
  rescue
    ArgumentError -> {:error, :not_running}
  end

  @doc """
  What this node has pending for `key`: `{:ok, value}` for a write, `:deleted` for a
  delete, `:none` when the store is to be asked.
  """
  @spec lookup(atom(), binary()) :: {:ok, term()} | :deleted | :none
  def lookup(writer, key) do
    now = now()

    case :ets.lookup(writer, key) do
      [{^key, _seq, {:put, value, _ttl}, deadline, _view}] when deadline > now -> {:ok, value}
      [{^key, _seq, :delete, deadline, _view}] when deadline > now -> :deleted
      _ -> :none
    end
  rescue
    ArgumentError -> :none
  end

  @doc """
  Waits until every write handed over before this call has landed (or was replaced by a
  newer one, or expired). For tests and benchmarks that read the store behind the
  adapter's back.
  """
  @spec sync(atom(), timeout()) :: :ok | {:error, :timeout}
  def sync(writer, timeout \\ 5_000) do
    GenServer.call(writer, {:sync, :erlang.unique_integer([:monotonic])}, timeout)
  catch
    :exit, {:timeout, _} -> {:error, :timeout}
  end

  defp enqueue(writer, key, op, ttl_ms, view) do
    true =
      :ets.insert(writer, {key, :erlang.unique_integer([:monotonic]), op, deadline(ttl_ms), view})

    notify(writer, key)
  rescue
    ArgumentError -> {:error, :not_running}
  end

  defp notify(writer, key) do
    send(writer, {:pending, key})
    :ok
  end

  ## The writer process

  @impl true
  def init(opts) do
    Process.flag(:trap_exit, true)
    name = Keyword.fetch!(opts, :name)

    ^name =
      :ets.new(name, [
        :named_table,
        :public,
        :set,
        read_concurrency: true,
        write_concurrency: true
      ])

    {:ok,
     %{
       name: name,
       store: Keyword.fetch!(opts, :store),
       flush_ms: Keyword.get(opts, :flush_ms, @flush_ms),
       queue: :queue.new(),
       queued: MapSet.new(),
       # task ref => key, and key => task ref: one write per key in the store's hands
       in_flight: %{},
       busy: %{},
       failing: MapSet.new(),
       backoff: @min_backoff_ms,
       # why the last write failed: a stash handed over while the store is out is told so
       last_error: nil,
       # nil, :scheduled, or the ref of a running probe: writes wait while set
       probe: nil,
       waiters: []
     }}
  end

  @impl true
  def handle_call({:sync, marker}, from, state) do
    spec = [{{:"$1", :"$2", :_, :_, :_}, [{:<, :"$2", marker}], [:"$1"]}]
    keys = MapSet.new(:ets.select(state.name, spec))

    if MapSet.size(keys) == 0,
      do: {:reply, :ok, state},
      else: {:noreply, %{state | waiters: [{from, marker, keys} | state.waiters]}}
  end

  @impl true
  def handle_info({:pending, key}, state) do
    {:noreply, state |> queue(key) |> held_up(key) |> dispatch()}
  end

  def handle_info({ref, result}, %{in_flight: in_flight} = state)
      when is_map_key(in_flight, ref) do
    Process.demonitor(ref, [:flush])
    key = Map.fetch!(in_flight, ref)
    {:noreply, state |> done(ref, result) |> settled(key) |> dispatch()}
  end

  def handle_info({ref, result}, %{probe: ref} = state) do
    Process.demonitor(ref, [:flush])

    case result do
      :ok -> {:noreply, dispatch(%{state | probe: nil})}
      {:error, _reason} -> {:noreply, schedule_probe(%{state | probe: nil})}
    end
  end

  def handle_info(:probe, %{probe: :scheduled} = state) do
    state = expire_old(state)
    store = state.store

    if function_exported?(store, :probe, 0) do
      %Task{ref: ref} = Task.async(fn -> safely(fn -> store.probe() end) end)
      {:noreply, %{state | probe: ref}}
    else
      {:noreply, dispatch(%{state | probe: nil})}
    end
  end

  # A task that died without answering (it catches everything, so it was killed).
  def handle_info({:DOWN, ref, :process, _pid, reason}, state) do
    handle_info({ref, {:error, {:exit, reason}}}, state)
  end

  # Exits of the linked tasks, and anything else: nothing to do.
  def handle_info(_message, state), do: {:noreply, state}

  @impl true
  def terminate(_reason, state) do
    deadline = now() + state.flush_ms
    # No waiting out a long backoff now: try again at once, then as failures dictate.
    state = %{state | backoff: @min_backoff_ms}
    if state.probe == :scheduled, do: send(self(), :probe)
    flush(dispatch(state), deadline)
  end

  # Serves the writer's own messages (task results, probes, new rows from views that
  # terminate meanwhile) until every row is written or the deadline passes.
  defp flush(state, deadline) do
    if :ets.info(state.name, :size) == 0 do
      :ok
    else
      receive do
        message ->
          {:noreply, state} = handle_info(message, state)
          flush(state, deadline)
      after
        max(deadline - now(), 0) ->
          Logger.warning(
            "LiveStash could not write #{:ets.info(state.name, :size)} pending stash(es) " <>
              "before shutdown: the store did not take them within #{state.flush_ms} ms"
          )
      end
    end
  end

  defp queue(state, key) do
    if MapSet.member?(state.queued, key) or Map.has_key?(state.busy, key),
      do: state,
      else: %{state | queue: :queue.in(key, state.queue), queued: MapSet.put(state.queued, key)}
  end

  defp dispatch(%{probe: probe} = state) when probe != nil, do: state

  defp dispatch(state) do
    with true <- map_size(state.busy) < @max_in_flight,
         {{:value, key}, queue} <- :queue.out(state.queue) do
      state = %{state | queue: queue, queued: MapSet.delete(state.queued, key)}
      %{name: name, store: store} = state
      %Task{ref: ref} = Task.async(fn -> attempt(name, store, key) end)

      dispatch(%{
        state
        | in_flight: Map.put(state.in_flight, ref, key),
          busy: Map.put(state.busy, key, ref)
      })
    else
      _ -> state
    end
  end

  # In the task: the row is read here, when its turn comes, so it is the newest one and
  # its value is never copied through the writer process.
  defp attempt(name, store, key) do
    case :ets.lookup(name, key) do
      [{^key, seq, op, deadline, view}] ->
        if deadline > now(),
          do: {:written, seq, view, kind(op), safely(fn -> store.write(key, op) end)},
          else: {:expired, seq, view}

      [] ->
        :gone
    end
  end

  defp safely(fun) do
    case fun.() do
      :ok -> :ok
      {:error, _} = error -> error
      other -> {:error, {:unexpected, other}}
    end
  rescue
    error -> {:error, error}
  catch
    :exit, reason -> {:error, {:exit, reason}}
  end

  defp done(state, ref, result) do
    {key, in_flight} = Map.pop(state.in_flight, ref)
    state = %{state | in_flight: in_flight, busy: Map.delete(state.busy, key)}

    case result do
      {:written, seq, _view, _op, :ok} ->
        # A newer row came in meanwhile: it is written next.
        state = if remove(state.name, key, seq), do: state, else: queue(state, key)

        %{state | failing: MapSet.delete(state.failing, key), backoff: @min_backoff_ms}

      {:written, _seq, view, kind, {:error, reason}} ->
        # The adapter's error event, as for a write in the LiveView (a delete or refresh is no stash).
        if kind == :put, do: LiveStash.Telemetry.adapter_error(state.store, view, reason, :put)

        %{state | last_error: reason}
        |> log_failure(key, view, op_name(kind), reason)
        |> retry_first(key)
        |> schedule_probe()

      {:expired, seq, view} ->
        expired(state, key, seq, view)

      :gone ->
        state

      {:error, reason} ->
        # The task itself died: try again like any failed write.
        view = with [{_, _, _, _, view}] <- :ets.lookup(state.name, key), do: view

        state
        |> log_failure(key, view, "write the stash of", reason)
        |> retry_first(key)
        |> schedule_probe()
    end
  end

  # While the writer waits for the store, a stash handed over is not tried, but it is
  # failing all the same: its view is named in the log, and a stash in the adapter's error
  # event, now, as a write that was tried and failed would be, not when its ttl runs out.
  defp held_up(%{probe: nil} = state, _key), do: state

  defp held_up(state, key) do
    case :ets.lookup(state.name, key) do
      [{^key, _seq, op, _deadline, view}] ->
        if kind(op) == :put and not MapSet.member?(state.failing, key),
          do: LiveStash.Telemetry.adapter_error(state.store, view, state.last_error, :put)

        log_failure(state, key, view, op_name(kind(op)), state.last_error)

      [] ->
        state
    end
  end

  defp retry_first(state, key) do
    if :ets.member(state.name, key) and not MapSet.member?(state.queued, key),
      do: %{state | queue: :queue.in_r(key, state.queue), queued: MapSet.put(state.queued, key)},
      else: state
  end

  defp schedule_probe(%{probe: nil} = state) do
    Process.send_after(self(), :probe, state.backoff)
    %{state | probe: :scheduled, backoff: min(state.backoff * 2, @max_backoff_ms)}
  end

  defp schedule_probe(state), do: state

  defp log_failure(state, key, view, op, reason) do
    if MapSet.member?(state.failing, key) do
      state
    else
      Logger.warning(
        "LiveStash could not #{op} #{inspect(view)}: #{inspect(reason)}. " <>
          "The newest state is kept on #{node()} and written once the store answers " <>
          "(for as long as the stash's ttl)"
      )

      %{state | failing: MapSet.put(state.failing, key)}
    end
  end

  # Rows whose ttl passed unwritten, except those a task holds (it finds them expired).
  defp expire_old(state) do
    spec = [
      {{:"$1", :"$2", :_, :"$3", :"$4"}, [{:"=<", :"$3", now()}], [{{:"$1", :"$2", :"$4"}}]}
    ]

    state.name
    |> :ets.select(spec)
    |> Enum.reject(fn {key, _seq, _view} -> Map.has_key?(state.busy, key) end)
    |> Enum.reduce(state, fn {key, seq, view}, acc -> expired(acc, key, seq, view) end)
  end

  defp expired(state, key, seq, view) do
    if remove(state.name, key, seq) do
      Logger.warning(
        "LiveStash dropped the unwritten stash of #{inspect(view)}: " <>
          "the store did not take it within the stash's ttl"
      )
    end

    settled(%{state | failing: MapSet.delete(state.failing, key)}, key)
  end

  # Deletes the row only if it is still the one that was written; false if a newer one
  # replaced it. The key is a binary, so the match head is ground: a hash lookup.
  defp remove(name, key, seq),
    do: :ets.select_delete(name, [{{key, seq, :_, :_, :_}, [], [true]}]) == 1

  # `key` was written, replaced or dropped: `sync/2` callers waiting for it may go on.
  defp settled(%{waiters: []} = state, _key), do: state

  defp settled(state, key) do
    waiters =
      Enum.flat_map(state.waiters, fn {from, marker, keys} = waiter ->
        cond do
          not MapSet.member?(keys, key) or pending_before?(state.name, key, marker) ->
            [waiter]

          MapSet.size(keys) == 1 ->
            GenServer.reply(from, :ok)
            []

          true ->
            [{from, marker, MapSet.delete(keys, key)}]
        end
      end)

    %{state | waiters: waiters}
  end

  defp pending_before?(name, key, marker) do
    case :ets.lookup(name, key) do
      [{^key, seq, _op, _deadline, _view}] -> seq < marker
      [] -> false
    end
  end

  defp kind({:put, _value, _ttl}), do: :put
  defp kind(:delete), do: :delete
  defp kind({:touch, _ttl}), do: :touch
  defp kind({:touch, _ttl, _context}), do: :touch

  defp op_name(:put), do: "stash"
  defp op_name(:delete), do: "drop the stash of"
  defp op_name(:touch), do: "refresh the stash of"

  defp deadline(ttl_ms), do: now() + ttl_ms
  defp now, do: System.monotonic_time(:millisecond)
end
