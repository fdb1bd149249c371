# Server-side latency of LiveStash.stash/1 and LiveStash.recover_state/1 per adapter and
# stash size, all in one VM run, so the adapters are compared on the same machine state.
# Run by `npm run bench` (bench/server-adapters.ts) as:
#   MIX_ENV=test mix run --no-deps-check bench/adapters.exs [samples_scale]
# Prints one JSON line, prefixed with "BENCH_JSON ", of raw samples in microseconds.
#
# recover_state is timed on a reconnected view, so it includes the fetch, the checks and
# the rewrite that restarts the TTL: what a reconnect costs the LiveView process.
#
# Series may name their baseline ("vs": a label, or null for none); without it, ETS of
# the same op and size is the baseline.

alias LiveStash.Telemetry.Optional
alias LiveStash.Test.{Client, Define, RedisServer, ViewServer}

Logger.configure(level: :error)

# One line per adapter: {label, module, extra app env (a function: it may start a server)}.
# ETS is the baseline of the ratio column, so it stays first.
adapters = [
  {"ETS", LiveStash.Adapters.ETS, fn -> [] end},
  {"Redis", LiveStash.Adapters.Redis,
   fn ->
     {:ok, redis} = RedisServer.start_link()
     [redis: RedisServer.url(redis)]
   end},
  # This VM is not distributed: the table has no other replica to write to.
  {"Mnesia (1 node)", LiveStash.Adapters.Mnesia, fn -> [] end}
]

scale = System.argv() |> List.first("1") |> String.to_float()
sizes = [{1_024, 400}, {102_400, 100}, {1_048_576, 30}]

env =
  Enum.reduce(adapters, Application.get_all_env(:live_stash), fn {_, module, extra}, env ->
    env
    |> Keyword.update(:adapters, [module], &Enum.uniq(&1 ++ [module]))
    |> Keyword.merge(extra.())
  end)

:ok = Application.stop(:live_stash)
Application.put_all_env(live_stash: env)
{:ok, _} = Application.ensure_all_started(:live_stash)

defmodule Bench do
  @warm_up 3

  def samples(n, scale), do: max(round(n * scale), 5)

  # Times `fun` inside the view process, `n` times (after a few unrecorded ones), each
  # with a new value of `bytes` so an unchanged-stash check never skips the write.
  def time(pid, n, bytes, fun) do
    payload = :crypto.strong_rand_bytes(bytes)
    caller = self()

    for i <- 1..(n + @warm_up) do
      :ok =
        ViewServer.update(pid, fn socket ->
          started = System.monotonic_time()
          socket = fun.(socket, {i, payload})
          # Below a microsecond: telemetry's cost on a fast stash is that small.
          ns = System.convert_time_unit(System.monotonic_time() - started, :native, :nanosecond)
          send(caller, {:bench_us, ns / 1000})
          socket
        end)

      receive(do: ({:bench_us, us} -> us))
    end
    |> Enum.drop(@warm_up)
  end

  def stash(socket, value),
    do: socket |> Phoenix.Component.assign(:count, value) |> LiveStash.stash()

  def recover(socket, _value), do: socket |> LiveStash.recover_state() |> elem(1)
end

rows =
  for {label, module, _} <- adapters, {bytes, n} <- sizes do
    view =
      Define.view!(Module.concat(LiveStash.Bench, List.last(Module.split(module))),
        adapter: module,
        stored_keys: [:count]
      )

    n = Bench.samples(n, scale)
    # One page: the reconnect rejoins with the same DOM id, as LiveView's client does.
    page = [id: "phx-F1a2b3c4d5e6f7g8"]
    {:ok, pid} = ViewServer.start(view, [params: Client.fresh_params()] ++ page)
    stash = Bench.time(pid, n, bytes, &Bench.stash/2)

    params = Client.join_params(ViewServer.events(pid))
    {:ok, pid} = ViewServer.start(view, [params: params] ++ page)
    %{recover_status: :recovered} = ViewServer.assigns(pid)
    recover = Bench.time(pid, n, bytes, &Bench.recover/2)
    ViewServer.stop(pid)

    [{label, "stash", bytes, stash}, {label, "recover", bytes, recover}]
  end

# The cost of :telemetry with no handler attached (issue 17): 1 KB stashes with the
# library loaded (the suite's double, whose handler lookup costs what the real one's
# does: a :persistent_term read) and with this node playing one without it, in
# alternating rounds so drift hits both alike. Each "on" series names its "off" series
# as its baseline ("vs").
[] = :telemetry.list_handlers([:live_stash])

# Changing a :persistent_term entry makes every process scan its heap: let that pass.
settle = fn enabled? -> Process.sleep(50) && enabled? end
off = fn -> settle.(Optional.check(&(&1 != :telemetry and Code.ensure_loaded?(&1)))) end
on = fn -> settle.(Optional.check()) end
rounds = 8

telemetry_rows =
  for {label, adapter, opts} <- [
        {"ETS", LiveStash.Adapters.ETS, []},
        {"BrowserMemory", LiveStash.Adapters.BrowserMemory, [security_mode: :sign]}
      ] do
    view =
      Define.view!(
        Module.concat(LiveStash.Bench.Telemetry, List.last(Module.split(adapter))),
        [adapter: adapter, stored_keys: [:count]] ++ opts
      )

    n = div(Bench.samples(400, scale), rounds) + 1
    {:ok, pid} = ViewServer.start(view, params: Client.fresh_params())

    {offs, ons} =
      Enum.reduce(1..rounds, {[], []}, fn _, {offs, ons} ->
        false = off.()
        without = Bench.time(pid, n, 1_024, &Bench.stash/2)
        true = on.()
        {offs ++ without, ons ++ Bench.time(pid, n, 1_024, &Bench.stash/2)}
      end)

    ViewServer.stop(pid)
    baseline = "#{label}, no telemetry"

    [
      {baseline, "stash", 1_024, offs, nil},
      {"#{label}, telemetry (no handler)", "stash", 1_024, ons, baseline}
    ]
  end

series = Enum.map(List.flatten(rows), &Tuple.append(&1, :none)) ++ List.flatten(telemetry_rows)

json =
  Enum.map_join(series, ",", fn {label, op, bytes, us, vs} ->
    vs = if vs == :none, do: "", else: ~s(,"vs":#{if vs, do: ~s("#{vs}"), else: "null"})
    ~s({"adapter":"#{label}","op":"#{op}","bytes":#{bytes},"us":[#{Enum.join(us, ",")}]#{vs}})
  end)

IO.puts("BENCH_JSON [" <> json <> "]")
