# What `session_key` costs per distinct session: entries in Plug.Crypto's key cache
# (the `Plug.Crypto.Keys` ETS table, never evicted) and BEAM memory after 1,000 and
# 10,000 distinct sessions' first stash, and the time of a first stash for a session
# never seen before against one seen already.
#
#   cd elixir_stub && MIX_ENV=test mix run --no-deps-check bench/sessions.exs [samples_scale]
#
# The baseline, run in the same VM, is the scheme before this one, reproduced through the
# same code path: the token salt is the secret plus a hash of the session value, so each
# session derives (and the cache keeps) a key of its own. Runs the shim through the test
# doubles; their Phoenix.Token caches keys exactly as Plug.Crypto does (see its moduledoc).
# Prints one tab-separated row per measurement, for bench/sessions.ts:
#   row <metric> <value> <baseline value>

alias LiveStash.{Secret, State}
alias LiveStash.Test.{Client, Define, PlugCryptoKeys, View, ViewServer}

Logger.configure(level: :error)

defmodule LiveStash.Bench.Sessions do
  @moduledoc false

  @view LiveStash.Bench.SessionView

  def view do
    Define.view!(@view,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :encrypt,
      session_key: "user_token",
      stored_keys: [:count]
    )
  end

  def session(tag, n), do: %{"user_token" => "#{tag}-#{n}-#{System.unique_integer()}"}

  @doc """
  One page view of `session`: a connected fresh mount and its first stash, timed inside
  the LiveView process as a handle_event would run it. Returns the stash's microseconds.
  """
  def first_stash(session, scheme) do
    caller = self()

    {:ok, pid} =
      ViewServer.start(@view, params: Client.fresh_params(%{}, official: true), session: session)

    if scheme == :per_session_salt, do: :ok = ViewServer.update(pid, &per_session_salt/1)

    :ok =
      ViewServer.update(pid, fn socket ->
        {us, socket} = :timer.tc(fn -> View.put_count(socket, 1) end)
        send(caller, {:stash_us, us})
        socket
      end)

    ViewServer.stop(pid)
    receive(do: ({:stash_us, us} -> us))
  end

  # The scheme before fixed salts: the session's hash folded into the token salt (and
  # nothing of it inside the payload).
  defp per_session_salt(socket) do
    %State{options: options, session: binding} = state = socket.private.live_stash
    salt = Secret.scope(options.secret, binding)
    State.put(socket, %State{state | options: %{options | secret: salt}, session: nil})
  end

  def entries, do: :ets.info(PlugCryptoKeys.table(), :size)

  def memory do
    for pid <- Process.list(), do: :erlang.garbage_collect(pid)
    :erlang.memory(:total)
  end

  @doc "Key-cache entries and BEAM bytes added by `n` distinct sessions' first stash."
  def growth(scheme, n) do
    {entries, memory} = {entries(), memory()}
    for i <- 1..n, do: first_stash(session(scheme, i), scheme)
    {entries() - entries, memory() - memory}
  end

  @doc """
  Median first-stash time of sessions never seen before, and of sessions seen once
  (one earlier page view), sampled in turn so both see the same machine state.
  """
  def first_stash_us(scheme, samples) do
    pairs =
      for i <- 1..samples do
        new = first_stash(session(scheme, i), scheme)
        known = session(scheme, -i)
        first_stash(known, scheme)
        {new, first_stash(known, scheme)}
      end

    {pairs |> Enum.map(&elem(&1, 0)) |> median(), pairs |> Enum.map(&elem(&1, 1)) |> median()}
  end

  defp median(xs), do: xs |> Enum.sort() |> Enum.at(div(length(xs), 2))

  def row(metric, value, baseline),
    do: IO.puts(Enum.join(["row", metric, value, baseline], "\t"))
end

bench = LiveStash.Bench.Sessions
{scale, ""} = System.argv() |> List.first("1") |> Float.parse()
samples = max(round(300 * scale), 20)
bench.view()

# Warm up: the configuration's own fixed salts are derived once, before any count.
for scheme <- [:fixed_salt, :per_session_salt], do: bench.first_stash_us(scheme, 5)

for n <- [1_000, 10_000] do
  {entries, memory} = bench.growth(:fixed_salt, n)
  {old_entries, old_memory} = bench.growth(:per_session_salt, n)
  bench.row("entries #{n}", entries, old_entries)
  bench.row("memory #{n}", memory, old_memory)
end

{new, known} = bench.first_stash_us(:fixed_salt, samples)
{old_new, old_known} = bench.first_stash_us(:per_session_salt, samples)
bench.row("first stash", new, known)
bench.row("first stash per-session salt", old_new, old_known)
