# Server-side latency of LiveStash.stash/1 and LiveStash.recover_state/1 per adapter and
# stash size, all in one VM run, so the adapters are compared on the same machine state.
# Run by `npm run bench` (bench/server-adapters.ts) as:
#   MIX_ENV=test mix run --no-deps-check bench/adapters.exs [samples_scale]
# Prints one JSON line, prefixed with "BENCH_JSON ", of raw samples in microseconds.
#
# recover_state is timed on a reconnected view, so it includes the fetch, the checks and
# the rewrite that restarts the TTL: what a reconnect costs the LiveView process.

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
          {us, socket} = :timer.tc(fn -> fun.(socket, {i, payload}) end)
          send(caller, {:bench_us, us})
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

json =
  rows
  |> List.flatten()
  |> Enum.map_join(",", fn {label, op, bytes, us} ->
    ~s({"adapter":"#{label}","op":"#{op}","bytes":#{bytes},"us":[#{Enum.join(us, ",")}]})
  end)

IO.puts("BENCH_JSON [" <> json <> "]")
