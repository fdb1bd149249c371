# What one event costs a view that stashes a large state plus a small counter and draft
# (issue 16, "stash cost"): server time and bytes pushed to the browser per event, per
# adapter, against a plain event (no stash) and against today's whole-token behaviour,
# reproduced here in the same run (see "today" below).
#
#   MIX_ENV=test mix run --no-deps-check bench/stash_cost.exs [samples_scale]
#
# Prints one JSON line, prefixed "BENCH_JSON ", read by bench/stash-cost.ts.
#
# Scenarios, each an event the view handles (the time is the whole call into the view
# process: the event, the render and its after_render hooks):
#   click      +1 on :count, then an explicit LiveStash.stash/1
#   typing     phx-change: one more character in :draft, then LiveStash.stash/1
#   auto       the same keystroke in a view with auto_stash: true (no explicit stash): now
#              coalesced (auto_stash_interval 500 ms, the default: one write per interval,
#              from a timer between events, whose bytes count towards the event after it),
#              today after every render (auto_stash_interval: 0, what auto_stash did)
#   unchanged  an event changing an assign that is not stored, then LiveStash.stash/1
#   plain      the same event without the stash: the baseline of "unchanged"
#
# "today" is the encoding this branch replaced: every stash hashed the stored assigns
# (SHA-256 of their deterministic term_to_binary) to skip an unchanged write, and every
# record was compressed at zlib level 6 whatever it held. The bench reproduces it without
# touching lib/: it adds that hash to the event and, for the "today" samples only, loads
# a LiveStash.Record.Packing that compresses as before, restoring the real one after.

alias LiveStash.Test.{Client, Define, RedisServer, States, Tokens, ViewServer}

Logger.configure(level: :error)

scale = System.argv() |> List.first("1") |> String.to_float()

{:ok, redis} = RedisServer.start_link()

env =
  Application.get_all_env(:live_stash)
  |> Keyword.update(
    :adapters,
    [LiveStash.Adapters.Redis],
    &Enum.uniq(&1 ++ [LiveStash.Adapters.Redis])
  )
  |> Keyword.put(:redis, RedisServer.url(redis))

:ok = Application.stop(:live_stash)
Application.put_all_env(live_stash: env)
{:ok, _} = Application.ensure_all_started(:live_stash)

defmodule StashCost do
  @stored [:state, :count, :draft]
  @id "phx-F1a2b3c4d5e6f7g8"
  @warm_up 3
  @rounds 4

  def stored, do: @stored

  # The official client never announces capabilities: it always gets a whole token.
  def whole_token_params, do: %{"_mounts" => 0, "liveStash" => %{}}

  def start(view, params, state) do
    {:ok, pid} = ViewServer.start(view, params: params, id: @id)

    :ok =
      ViewServer.update(pid, fn socket ->
        socket
        |> Phoenix.Component.assign(state: state, draft: "", other: 0)
        |> LiveStash.stash()
      end)

    pid
  end

  # What the event does to the socket; `today?` adds the fingerprint hash it cost then.
  def event(:click, today?),
    do: &stash(Phoenix.Component.assign(&1, :count, &1.assigns.count + 1), today?)

  def event(:typing, today?), do: &stash(type(&1), today?)
  def event(:auto, true), do: &(&1 |> type() |> tap(fn s -> fingerprint(s) end))
  def event(:auto, false), do: &type/1
  def event(:unchanged, today?), do: &stash(other(&1), today?)
  def event(:plain, _today?), do: &other/1

  defp type(socket), do: Phoenix.Component.assign(socket, :draft, socket.assigns.draft <> "a")
  defp other(socket), do: Phoenix.Component.assign(socket, :other, socket.assigns.other + 1)

  defp stash(socket, true), do: socket |> tap(&fingerprint/1) |> LiveStash.stash()
  defp stash(socket, false), do: LiveStash.stash(socket)

  # Today's unchanged-write check, as lib/live_stash/fingerprint.ex computed it.
  def fingerprint(socket),
    do:
      :crypto.hash(
        :sha256,
        :erlang.term_to_binary(Map.take(socket.assigns, @stored), [:deterministic])
      )

  @doc """
  Median microseconds and mean bytes pushed per event of `scenario`, today's and now.
  `now` and `today` are two views of the same state; `encoders` switches the record
  encoder. They alternate in #{@rounds} rounds, so a machine that gets busier or quieter
  weighs on both alike; code loading disturbs the events right after it, so a few are
  dropped after each switch. Each of now's events follows a plain event, the baseline of
  "unchanged".
  """
  def measure(now, today, scenario, n, encoders) do
    per_round = max(div(n, @rounds), 1)

    rounds =
      for _ <- 1..@rounds do
        now_samples =
          for _ <- 1..(per_round + @warm_up) do
            {plain_us, _} = time(now, event(:plain, false))
            {plain_us, sample(now, scenario, false)}
          end

        today_samples =
          encoders.today.(fn ->
            for _ <- 1..(per_round + @warm_up), do: sample(today, scenario, true)
          end)

        {Enum.drop(now_samples, @warm_up), Enum.drop(today_samples, @warm_up)}
      end

    now_samples = Enum.flat_map(rounds, &elem(&1, 0))

    %{
      plain_us: median(for {plain, _} <- now_samples, do: plain),
      now: summary(for({_, s} <- now_samples, do: s), now),
      today: summary(Enum.flat_map(rounds, &elem(&1, 1)), today)
    }
  end

  defp sample(pid, scenario, today?) do
    before = length(ViewServer.events(pid))
    {us, _} = time(pid, event(scenario, today?))
    {us, frame_bytes(Enum.drop(ViewServer.events(pid), before))}
  end

  defp summary(samples, pid) do
    %{
      us: median(for {us, _} <- samples, do: us),
      bytes: div(Enum.sum(for {_, b} <- samples, do: b), length(samples)),
      keyed:
        Enum.any?(ViewServer.events(pid), fn [name, _] -> name == "live-stash:stash-keys" end)
    }
  end

  # Nanoseconds, reported as fractional microseconds: an unchanged stash and a plain event
  # take a few microseconds each, below what :timer.tc resolves.
  defp time(pid, fun) do
    started = System.monotonic_time(:nanosecond)
    :ok = ViewServer.update(pid, fun)
    {(System.monotonic_time(:nanosecond) - started) / 1000, :ok}
  end

  defp median(xs), do: xs |> Enum.sort() |> Enum.at(div(length(xs), 2))

  # The frame the channel sends for a diff carrying `events` (none: no frame).
  defp frame_bytes([]), do: 0

  defp frame_bytes(events),
    do: byte_size(~s(["4",null,"lv:#{@id}","diff",{"e":#{json(events)}}]))

  # Enough JSON for what LiveStash pushes: maps, lists, strings, numbers.
  defp json(map) when is_map(map),
    do:
      "{" <> Enum.map_join(map, ",", fn {k, v} -> json(to_string(k)) <> ":" <> json(v) end) <> "}"

  defp json(list) when is_list(list), do: "[" <> Enum.map_join(list, ",", &json/1) <> "]"
  # Tokens, ids and event names are URL-safe base64 or plain ASCII: nothing to escape.
  defp json(value) when is_binary(value), do: ~s("#{value}")
  defp json(value) when is_number(value), do: to_string(value)
  defp json(nil), do: "null"

  @doc """
  The real record encoder and today's (zlib level 6, always), both compiled once:
  `today.(fun)` runs `fun` with today's loaded in place of the real one. Nothing runs
  the encoder's code between calls, so switching never catches a process inside it.
  """
  def encoders do
    module = LiveStash.Record.Packing
    {^module, real, file} = :code.get_object_code(module)
    previous = Code.compiler_options()[:ignore_module_conflict]
    Code.compiler_options(ignore_module_conflict: true)

    [{^module, today}] =
      Code.compile_quoted(
        quote do
          defmodule unquote(module) do
            @moduledoc false
            def pack(term), do: :erlang.term_to_binary(term, [:compressed])
          end
        end
      )

    Code.compiler_options(ignore_module_conflict: previous)
    load(module, file, real)

    %{
      today: fn fun ->
        load(module, file, today)

        try do
          fun.()
        after
          load(module, file, real)
        end
      end
    }
  end

  defp load(module, file, beam) do
    :code.purge(module)
    {:module, ^module} = :code.load_binary(module, file, beam)
    :code.purge(module)
  end
end

n = max(round(200 * scale), 10)

states = [
  {"realistic 48 KB", States.realistic()},
  {"incompressible 64 KB", States.incompressible(65_536)}
]

adapters = [
  {"BrowserMemory whole token", LiveStash.Adapters.BrowserMemory, StashCost.whole_token_params()},
  # Our client announces per-key stashes; a server without them pushes whole tokens,
  # which the row reports as keyed: false.
  {"BrowserMemory keyed", LiveStash.Adapters.BrowserMemory, Client.fresh_params()},
  {"ETS", LiveStash.Adapters.ETS, Client.fresh_params()},
  {"Redis", LiveStash.Adapters.Redis, Client.fresh_params()}
]

view = fn module, auto?, interval ->
  name =
    Module.concat([
      LiveStash.Bench.StashCost,
      List.last(Module.split(module)),
      "Auto#{auto?}Every#{interval}"
    ])

  Define.view!(name,
    adapter: module,
    stored_keys: StashCost.stored(),
    auto_stash: auto?,
    auto_stash_interval: interval,
    security_mode: :sign
  )
end

# {now's view, today's view}: they differ only for auto_stash, which coalesces now.
views = fn
  module, :auto -> {view.(module, true, 500), view.(module, true, 0)}
  module, _scenario -> {view.(module, false, 0), view.(module, false, 0)}
end

encoders = StashCost.encoders()

# One cell: a view for now and one for today, with the same state, measured side by side.
measure = fn {now_view, today_view}, params, state, scenario, n ->
  now = StashCost.start(now_view, params, state)
  today = encoders.today.(fn -> StashCost.start(today_view, params, state) end)
  result = StashCost.measure(now, today, scenario, n, encoders)
  Enum.each([now, today], &ViewServer.stop/1)
  result
end

cells =
  for {state_label, state} <- states,
      {adapter_label, module, params} <- adapters,
      scenario <- [:click, :typing, :auto, :unchanged] do
    result = measure.(views.(module, scenario), params, state, scenario, n)
    {state_label, adapter_label, scenario, n, result}
  end

# The issue's Redis target: a 1 MB (incompressible) stash, as in the server adapters table.
big =
  for {adapter_label, module, params} <- [List.last(adapters)] do
    n = max(round(30 * scale), 5)
    state = States.incompressible(1_048_576)

    {"incompressible 1 MB", adapter_label, :click, n,
     measure.(views.(module, :click), params, state, :click, n)}
  end

# Browser token sizes for the same state: ours, today's, and the official library's
# (term_to_binary(%{version, assigns}, [:compressed]), signed with Phoenix.Token).
tokens =
  for {label, state} <- [
        {"realistic 48 KB", States.realistic()},
        {"incompressible 64 KB", States.incompressible(65_536)}
      ] do
    record =
      Tokens.record(LiveStash.Bench.StashCost.View, "phx-F1a2b3c4d5e6f7g8", state, version: 1)

    official = Tokens.token(:erlang.term_to_binary(%{version: 1, assigns: state}, [:compressed]))
    today = encoders.today.(fn -> Tokens.token(record) end)
    {label, byte_size(Tokens.token(record)), byte_size(today), byte_size(official)}
  end

cells_json =
  (cells ++ big)
  |> Enum.map_join(",", fn {state, adapter, scenario, n, %{now: now, today: today} = r} ->
    ~s({"state":"#{state}","adapter":"#{adapter}","scenario":"#{scenario}","n":#{n},) <>
      ~s("us":#{Float.round(now.us, 2)},"plainUs":#{Float.round(r.plain_us, 2)},"bytes":#{now.bytes},"keyed":#{now.keyed},) <>
      ~s("todayUs":#{Float.round(today.us, 2)},"todayBytes":#{today.bytes}})
  end)

tokens_json =
  Enum.map_join(tokens, ",", fn {state, ours, today, official} ->
    ~s({"state":"#{state}","ours":#{ours},"today":#{today},"official":#{official}})
  end)

IO.puts(~s(BENCH_JSON {"cells":[#{cells_json}],"tokens":[#{tokens_json}]}))
