defmodule LiveStash.MnesiaLoadTest do
  @moduledoc """
  10,000 stashes over 1,000 views on Mnesia: 1,000 LiveViews live at a time, each
  mounted fresh ten times over, stashing a count unique to that mount. Every stash must
  recover within its TTL, and after the TTL plus one sweep the table must be empty.
  Prints the figures; it asserts no timing.
  """
  use ExUnit.Case, async: false

  alias LiveStash.Adapters.Mnesia.Table
  alias LiveStash.Test.{Client, View, ViewServer}

  @ttl 10
  @views 1_000
  @rounds 10

  defmodule Loaded do
    use LiveStash.Test.View, adapter: LiveStash.Adapters.Mnesia, stored_keys: [:count], ttl: 10
  end

  @tag timeout: 180_000
  test "10,000 stashes all recover within the TTL, then all are swept" do
    # Rows other modules left (their TTL is minutes) would hide ours in the size count.
    {:atomic, :ok} = :mnesia.clear_table(Table)

    {write_us, stashed} = :timer.tc(fn -> Enum.flat_map(1..@rounds, &stash_round/1) end)
    size_after_writes = Table.size()

    {recover_us, statuses} = :timer.tc(fn -> in_parallel(stashed, &recover/1) end)
    recovered = Enum.count(statuses, &(&1 == :ok))
    {sweep_ms, size_at_end} = wait_empty(System.monotonic_time(:millisecond))

    IO.puts("""

    Mnesia load (#{length(stashed)} stashes, #{@views} views at a time, ttl #{@ttl}s):
      stash:   #{per_second(length(stashed), write_us)} stashes/s (#{div(write_us, 1000)} ms)
      table:   #{size_after_writes} rows after the stashes
      recover: #{recovered}/#{length(stashed)} recovered, #{per_second(length(stashed), recover_us)} recoveries/s (#{div(recover_us, 1000)} ms)
      sweep:   #{size_at_end} rows #{sweep_ms} ms after the last recovery (TTL + sweeps)
    """)

    assert length(stashed) == @views * @rounds
    assert size_after_writes == @views * @rounds
    assert recovered == length(stashed), inspect(Enum.frequencies(statuses))
    assert size_at_end == 0
  end

  # One round: @views LiveViews mount fresh, each stashes its own count, then drops.
  defp stash_round(round) do
    in_parallel(1..@views, fn i ->
      count = round * @views + i
      {:ok, pid} = ViewServer.start(Loaded, params: Client.fresh_params())
      :ok = ViewServer.update(pid, {View, :put_count, [count]})
      params = Client.join_params(ViewServer.events(pid))
      ViewServer.stop(pid)
      {params, count}
    end)
  end

  defp recover({params, count}) do
    {:ok, pid} = ViewServer.start(Loaded, params: params)
    assigns = ViewServer.assigns(pid)
    ViewServer.stop(pid)

    case assigns do
      %{recover_status: :recovered, count: ^count} -> :ok
      %{recover_status: status} -> status
    end
  end

  defp in_parallel(items, fun) do
    items
    |> Task.async_stream(fun, max_concurrency: @views, ordered: false, timeout: 60_000)
    |> Enum.map(fn {:ok, result} -> result end)
  end

  # Recovery rewrote every row, so all expire @ttl after the last recovery at the latest.
  defp wait_empty(started) do
    size = Table.size()
    waited = System.monotonic_time(:millisecond) - started

    if size == 0 or waited > (@ttl + 30) * 1000,
      do: {waited, size},
      else: Process.sleep(500) && wait_empty(started)
  end

  defp per_second(n, us), do: round(n * 1_000_000 / max(us, 1))
end
