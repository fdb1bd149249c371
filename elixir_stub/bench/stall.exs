# The event round trip of a LiveView that stashes to Redis while Redis stalls
# (`DEBUG SLEEP`), against a plain event of a LiveView that stashes nothing, in one VM run.
# Run by `npm run bench` (bench/stall.ts) as:
#   MIX_ENV=test mix run --no-deps-check bench/stall.exs [samples_scale]
# Prints one line, prefixed with "STALL_JSON ", of raw round trips in microseconds:
#   [{"series": ..., "phase": "healthy" | "stall", "us": [...]}, ...]
#
# A round trip is a call into the view process that runs the event and the render, as
# the channel does for a click, timed by the caller. Series:
#   plain        - assigns a new count, no LiveStash
#   write-behind - assigns it and calls LiveStash.stash/1 (Redis adapter, this build)
#   synchronous  - assigns it and SETs it from the view process within the 500 ms timeout,
#                  as the adapter did before LiveStash.Adapters.WriteBehind (the baseline)

alias LiveStash.Adapters.Redis
alias LiveStash.Adapters.Redis.Client, as: RedisClient
alias LiveStash.Test.{Client, Define, RedisServer, ViewServer, Writers}

Logger.configure(level: :error)

scale = System.argv() |> List.first("1") |> String.to_float()
samples = fn n -> max(round(n * scale), 3) end

{:ok, redis} = RedisServer.start_link()
env = Application.get_all_env(:live_stash)
:ok = Application.stop(:live_stash)
adapters = Enum.uniq(List.wrap(env[:adapters]) ++ [Redis])
Application.put_all_env(live_stash: Keyword.merge(env, adapters: adapters, redis: RedisServer.url(redis)))
{:ok, _} = Application.ensure_all_started(:live_stash)
LiveStash.Test.RedisCase.wait_connected!()

defmodule LiveStash.Bench.Plain do
  @moduledoc false
  use Phoenix.LiveView

  def mount(_params, _session, socket), do: {:ok, assign(socket, :count, 0)}
end

defmodule LiveStash.Bench.Stall do
  @moduledoc false

  alias Phoenix.Component

  def plain(socket, count), do: Component.assign(socket, :count, count)

  def write_behind(socket, count),
    do: socket |> Component.assign(:count, count) |> LiveStash.stash()

  # What Redis.put did before the write-behind: the SET in the view process.
  def synchronous(socket, count) do
    state = socket.private.live_stash
    key = Redis.key(LiveStash.Adapters.StashId.scope(state), state.stash_id)
    payload = LiveStash.Record.encode(LiveStash.Record.new(state, socket.view, %{count: count}))
    expires_at = System.system_time(:millisecond) + 300_000
    value = Redis.Row.seal(socket.endpoint, state.options.secret, key, count, expires_at, payload)
    _ = RedisClient.command(["SET", key, value, "PX", "300000"])
    Component.assign(socket, :count, count)
  end

  # `n` events on `pid`, each a new count; the round trip of each, in µs.
  def round_trips(pid, fun, n) do
    for i <- 1..n do
      {us, :ok} = :timer.tc(fn -> ViewServer.update(pid, {__MODULE__, fun, [i]}) end)
      us
    end
  end
end

stashing = Define.view!(LiveStash.Bench.RedisView, adapter: Redis, stored_keys: [:count])
{:ok, plain} = ViewServer.start(LiveStash.Bench.Plain, params: Client.fresh_params())
{:ok, view} = ViewServer.start(stashing, params: Client.fresh_params())
bench = LiveStash.Bench.Stall

# Warm up both paths before anything is timed.
_ = bench.round_trips(plain, :plain, 20)
_ = bench.round_trips(view, :write_behind, 20)
:ok = Writers.settle()

n = samples.(200)

healthy = [
  {"plain", "healthy", bench.round_trips(plain, :plain, n)},
  {"write-behind", "healthy", bench.round_trips(view, :write_behind, n)},
  {"synchronous", "healthy", bench.round_trips(view, :synchronous, n)}
]

:ok = Writers.settle()

# Every stall sample is taken while Redis sleeps: a run that outlived its stall is
# retaken in a new one.
during_stall = fn series, fun, count, seconds ->
  Enum.find_value(1..5, fn _ ->
    stall = RedisServer.stall!(redis, seconds)
    us = bench.round_trips(if(fun == :plain, do: plain, else: view), fun, count)
    ended_early? = Task.yield(stall, 0) != nil
    Task.await(stall, (seconds + 10) * 1000)
    :ok = Writers.settle(30_000)
    unless ended_early?, do: {series, "stall", us}
  end) || raise "could not take #{series} samples within a Redis stall"
end

stalled = [
  during_stall.("plain", :plain, n, 2),
  during_stall.("write-behind", :write_behind, n, 2),
  # Each waits for the 500 ms timeout: a few fit in one stall.
  during_stall.("synchronous", :synchronous, samples.(5), 4)
]

json =
  Enum.map_join(healthy ++ stalled, ",", fn {series, phase, us} ->
    ~s({"series":"#{series}","phase":"#{phase}","us":[#{Enum.join(us, ",")}]})
  end)

IO.puts("STALL_JSON [" <> json <> "]")
