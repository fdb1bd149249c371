defmodule LiveStash.Adapters.Mnesia.LoadTest do
  @moduledoc """
  10,000 stashes over 1,000 views on Mnesia: 1,000 LiveViews live at a time, each
  mounted fresh ten times over, stashing a count unique to that mount. Every stash must
  recover within its TTL, and after the TTL plus one sweep the table must be empty.
  Prints the figures; it asserts no timing.

  Two TTLs keep it both robust and short: the stashes are written with a long one, so a
  loaded machine cannot make a recovery miss; then the view is redefined with a short
  one (as a deploy could), and since a recovery rewrites the row with the view's TTL,
  the table must be empty a short TTL plus a sweep after the last recovery.
  """
  use ExUnit.Case, async: false

  alias LiveStash.Adapters.Mnesia.Table
  alias LiveStash.Test.{Client, Define, View, ViewServer}

  @write_ttl 60
  @ttl 2
  @views 1_000
  @rounds 10
  @loaded LiveStash.Adapters.Mnesia.LoadTest.Loaded

  defp define_view!(ttl),
    do: Define.view!(@loaded, adapter: LiveStash.Adapters.Mnesia, stored_keys: [:count], ttl: ttl)

  @tag timeout: 180_000
  test "10,000 stashes all recover within the TTL, then all are swept" do
    # Rows other modules left (their TTL is minutes) would hide ours in the size count.
    {:atomic, :ok} = :mnesia.clear_table(Table)
    define_view!(@write_ttl)

    {write_us, stashed} =
      :timer.tc(fn ->
        stashed = Enum.flat_map(1..@rounds, &stash_round/1)
        :ok = LiveStash.Test.Writers.settle(60_000)
        stashed
      end)

    size_after_writes = rows()
    define_view!(@ttl)

    {recover_us, statuses} = :timer.tc(fn -> in_parallel(stashed, &recover/1) end)
    recovered = Enum.count(statuses, &match?({:ok, _age}, &1))
    oldest = statuses |> Enum.map(&elem(&1, 1)) |> Enum.max()
    {sweep_ms, size_at_end} = wait_empty(now())

    IO.puts("""

    Mnesia load (#{length(stashed)} stashes, #{@views} views at a time, ttl #{@write_ttl}s, #{@ttl}s once recovered):
      stash:   #{per_second(length(stashed), write_us)} stashes/s (#{div(write_us, 1000)} ms)
      table:   #{size_after_writes} rows after the stashes
      recover: #{recovered}/#{length(stashed)} recovered, #{per_second(length(stashed), recover_us)} recoveries/s (#{div(recover_us, 1000)} ms)
      oldest stash at recovery: #{oldest} ms old
      sweep:   #{size_at_end} rows #{sweep_ms} ms after the last recovery (TTL + sweeps)
    """)

    assert length(stashed) == @views * @rounds
    assert size_after_writes == @views * @rounds

    assert recovered == length(stashed),
           inspect(statuses |> Enum.map(&elem(&1, 0)) |> Enum.frequencies())

    assert oldest < @write_ttl * 1000
    assert size_at_end == 0
  end

  # One round: @views LiveViews mount fresh, each stashes its own count, then drops.
  defp stash_round(round) do
    in_parallel(1..@views, fn i ->
      count = round * @views + i
      {:ok, pid} = ViewServer.start(@loaded, params: Client.fresh_params(), id: page(count))
      :ok = ViewServer.update(pid, {View, :put_count, [count]})
      params = Client.join_params(ViewServer.events(pid))
      ViewServer.stop(pid)
      {params, count, now()}
    end)
  end

  # {:ok | other status, age of the stash in ms when it was recovered}
  defp recover({params, count, written_at}) do
    {:ok, pid} = ViewServer.start(@loaded, params: params, id: page(count))
    assigns = ViewServer.assigns(pid)
    ViewServer.stop(pid)

    case assigns do
      %{recover_status: :recovered, count: ^count} -> {:ok, now() - written_at}
      %{recover_status: status} -> {status, now() - written_at}
    end
  end

  # Each view is its own page, whose DOM id its reconnect keeps.
  defp page(count), do: "phx-load-#{count}"

  defp in_parallel(items, fun) do
    items
    |> Task.async_stream(fun, max_concurrency: @views, ordered: false, timeout: 60_000)
    |> Enum.map(fn {:ok, result} -> result end)
  end

  # Recovery rewrote every row, so all expire @ttl after the last recovery at the latest.
  defp wait_empty(started) do
    size = rows()
    waited = now() - started

    if size == 0 or waited > (@ttl + 20) * 1000,
      do: {waited, size},
      else: Process.sleep(500) && wait_empty(started)
  end

  defp per_second(n, us), do: round(n * 1_000_000 / max(us, 1))
  defp now, do: System.monotonic_time(:millisecond)

  # Rows in the local copy, expired or not.
  defp rows, do: :mnesia.table_info(Table, :size)
end
