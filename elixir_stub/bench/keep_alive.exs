# Bytes a BrowserMemory view pushes while idle and at one recovering reconnect, with leases
# and, as the baseline measured in the same run, the pre-lease behaviour: the whole token
# re-pushed at every keep-alive beat and again after every recovery.
#
#   cd elixir_stub && MIX_ENV=test mix run --no-deps-check bench/keep_alive.exs
#
# Runs the shim through the test doubles (Phoenix.Token's, with its real signed_at/max_age
# semantics). Prints one tab-separated row per measurement, for bench/keep-alive.ts:
#   row <stash label> <ttl> <metric> <value> <baseline value>

alias LiveStash.{Adapters.BrowserMemory, KeepAlive, Lease, Record, State}
alias LiveStash.Test.{Client, Define, Flow, ViewServer, Wire}

defmodule LiveStash.Bench.KeepAlive do
  @moduledoc false

  def frame(pid, events), do: Wire.frame_bytes(ViewServer.socket(pid).id, events)

  # The events `fun` makes the view push.
  def pushed_by(pid, fun) do
    before = ViewServer.events(pid)
    fun.()
    Enum.drop(ViewServer.events(pid), length(before))
  end

  # One keep-alive beat, as the timer runs it.
  def beat(pid), do: pushed_by(pid, fn -> Flow.beat(pid) end)

  # What the pre-lease keep-alive did at each beat: sign and push the whole stash again.
  def legacy_beat(pid) do
    pushed_by(pid, fn ->
      :ok =
        ViewServer.update(pid, fn socket ->
          state = socket.private.live_stash
          record = Record.new(state, socket.view, state.last_assigns)
          {:ok, socket} = BrowserMemory.put(socket, state, record)
          socket
        end)
    end)
  end

  # What the pre-lease recovery did: forget what was stashed and stash again, pushing the token.
  def legacy_recovery(pid) do
    pushed_by(pid, fn ->
      :ok =
        ViewServer.update(pid, fn socket ->
          state = socket.private.live_stash
          LiveStash.stash(State.put(socket, %State{state | last_assigns: nil}))
        end)
    end)
  end
end

bench = LiveStash.Bench.KeepAlive
sizes = [{"1 KB", 1024}, {"64 KB", 65_536}, {"1 MB", 1_048_576}]

for ttl <- [300, 8], {label, bytes} <- sizes do
  opts = [adapter: BrowserMemory, security_mode: :sign, stored_keys: [:count], ttl: ttl]
  view = Define.view!(Module.concat(LiveStash.Bench, "View#{ttl}"), opts)
  # Random text: the token is compressed, so a repeated character would measure nothing.
  blob = binary_part(Base.encode64(:crypto.strong_rand_bytes(bytes)), 0, bytes)

  # The official client: leases extend whole tokens, which this bench measures.
  pid = Flow.stashed_view(view, blob, id: "phx-F1a2b3c4d5e6f7g8", official: true)
  [lease] = bench.beat(pid)
  [token] = bench.legacy_beat(pid)
  beats_per_minute = 60_000 / KeepAlive.interval_ms(ttl)

  # Re-issuing the token near its bound, once in (bound - 1.25 ttl) seconds, amortised.
  reissue_per_minute = bench.frame(pid, [token]) * 60 / (Lease.bound(ttl) - 1.25 * ttl)
  leased = bench.frame(pid, [lease]) * beats_per_minute + reissue_per_minute
  legacy = bench.frame(pid, [token]) * beats_per_minute

  IO.puts(Enum.join(["row", label, ttl, "idle", round(leased), round(legacy)], "\t"))

  IO.puts(
    Enum.join(
      ["row", label, ttl, "beat", bench.frame(pid, [lease]), bench.frame(pid, [token])],
      "\t"
    )
  )

  params = Client.join_params(ViewServer.events(pid), held: ViewServer.params(pid))
  # Whole tokens, as measured above: a join that leases but does not take keyed stashes.
  params = Map.update!(params, "liveStash", &Map.delete(&1, LiveStash.Events.accept_key()))
  ViewServer.stop(pid)
  {:ok, recovered} = ViewServer.start(view, params: params, id: "phx-F1a2b3c4d5e6f7g8")
  %{recover_status: :recovered} = ViewServer.assigns(recovered)
  pushed = ViewServer.events(recovered)
  legacy_pushed = bench.legacy_recovery(recovered)

  IO.puts(
    Enum.join(
      [
        "row",
        label,
        ttl,
        "recovery",
        bench.frame(recovered, pushed),
        bench.frame(recovered, legacy_pushed)
      ],
      "\t"
    )
  )

  ViewServer.stop(recovered)
end
