# What the recovery's retry budget (LiveStash.Adapters.RecoverRetry) adds to a join of a
# Redis-backed LiveView: with Redis up (nothing: the first GET answers) and with Redis
# killed (the budget: the join retries, then gives up with :error). Each against a budget
# of 0 (one attempt, as before the budget), in the same VM run.
# Run by `npm run bench` (bench/recover-retry.ts) as:
#   MIX_ENV=test mix run --no-deps-check bench/recover_retry.exs [samples_scale]
# Prints one line, prefixed with "RETRY_JSON ", of raw join times in microseconds:
#   [{"store": "up" | "down", "budget": ms, "us": [...]}, ...]
#
# A join is ViewServer.start of a reconnect: the mount, the recovery (with its rewrite
# when it recovered) and the first render, in the view process, timed by the caller.

alias LiveStash.Adapters.Redis
alias LiveStash.Test.{Client, Define, RedisServer, View, ViewServer, Writers}

Logger.configure(level: :error)

scale = System.argv() |> List.first("1") |> String.to_float()
samples = fn n -> max(round(n * scale), 3) end
budgets = [0, 2_000]

{:ok, redis} = RedisServer.start_link()
# activate!/1 restarts the app quietly, with ExUnit's log capture.
{:ok, _} = Application.ensure_all_started(:ex_unit)
_restore = RedisServer.activate!(redis)
LiveStash.Test.RedisCase.wait_connected!()

view = Define.view!(LiveStash.Bench.RetryView, adapter: Redis, stored_keys: [:count])
page = [id: "phx-bench-retry"]

# One reconnect with `params` under `budget`: its time, and the params the next one sends.
join = fn params, budget, expected ->
  Application.put_env(:live_stash, :recover_retry, budget: budget)
  {us, {:ok, pid}} = :timer.tc(fn -> ViewServer.start(view, [params: params] ++ page) end)
  status = ViewServer.assigns(pid).recover_status
  status == expected || raise "a join with Redis #{expected} gave #{status}"
  next = Client.join_params(ViewServer.events(pid), held: params)
  _ = Writers.settle(200)
  ViewServer.stop(pid)
  {us, next}
end

# `n` joins per budget, the budgets interleaved so both see the same machine state.
series = fn store, expected, params, n ->
  {runs, _params} =
    Enum.reduce(1..n, {[], params}, fn _, {runs, params} ->
      Enum.reduce(budgets, {runs, params}, fn budget, {runs, params} ->
        {us, next} = join.(params, budget, expected)
        {[{budget, us} | runs], next}
      end)
    end)

  for budget <- budgets do
    %{store: store, budget: budget, us: for({^budget, us} <- Enum.reverse(runs), do: us)}
  end
end

{:ok, pid} = ViewServer.start(view, [params: Client.fresh_params()] ++ page)
:ok = ViewServer.update(pid, {View, :put_count, [1]})
:ok = Writers.settle()
params = Client.join_params(ViewServer.events(pid))
ViewServer.stop(pid)

# Warm-up, untimed.
_ = series.("up", :recovered, params, 5)
up = series.("up", :recovered, params, samples.(100))
RedisServer.kill!(redis)
down = series.("down", :error, params, samples.(3))

json =
  Enum.map_join(up ++ down, ",", fn %{store: store, budget: budget, us: us} ->
    ~s({"store":"#{store}","budget":#{budget},"us":[#{Enum.join(us, ",")}]})
  end)

IO.puts("RETRY_JSON [" <> json <> "]")
