defmodule LiveStash.Adapters.Redis.LoadTest do
  @moduledoc """
  10,000 stashes over 1,000 views on a real redis-server: each of 1,000 views lives ten
  page lives (a fresh mount, so a new id each time) and stashes in each. Every stash must
  recover within its TTL, and once the TTL has passed Redis must hold nothing. Prints
  the figures; the timings are information, not assertions.

  Two TTLs keep it both robust and short: the stashes are written with a long one, so a
  loaded machine cannot make a recovery miss; then the view is redefined with a short
  one (as a deploy could), and since a recovery rewrites the stash with the view's TTL,
  every key must be gone a short TTL after the last recovery.
  """
  use ExUnit.Case, async: false

  import LiveStash.Test.RedisCase

  alias LiveStash.Test.{Client, Define, RedisServer, View, ViewServer}

  @view LiveStash.Adapters.Redis.LoadTest.Counter
  @views 1_000
  @lives 10
  @write_ttl_s 60
  @ttl_s 2

  setup_all do
    start_redis!()
  end

  defp define_view!(ttl),
    do: Define.view!(@view, adapter: LiveStash.Adapters.Redis, stored_keys: [:count], ttl: ttl)

  @tag timeout: 180_000
  test "10,000 stashes over 1,000 views: all recoverable, then all expired", %{redis: redis} do
    define_view!(@write_ttl_s)
    started = now()

    stashed = Enum.flat_map(1..@lives, fn life -> Enum.to_list(each_view(life, &stash/1)) end)
    # The SETs run behind the views (write-behind): counted once they have all landed.
    :ok = LiveStash.Test.Writers.settle(60_000)
    written_ms = now() - started

    assert length(stashed) == @views * @lives
    assert RedisServer.dbsize(redis) == @views * @lives
    define_view!(@ttl_s)

    recovered =
      Enum.flat_map(
        Enum.chunk_every(stashed, @views),
        &Enum.to_list(each(&1, fn x -> recover(x) end))
      )

    recovered_ms = now() - started - written_ms
    bad = Enum.reject(recovered, &match?({:recovered, same, same, _age}, &1))
    oldest = recovered |> Enum.map(&elem(&1, 3)) |> Enum.max()

    assert bad == [],
           "#{length(bad)} of #{length(recovered)} not recovered, e.g. #{inspect(Enum.take(bad, 3))}"

    assert oldest < @write_ttl_s * 1000

    # Recovery rewrote each stash with the short TTL: all expire that long after the last
    # recovery (the deadline leaves room for a loaded machine).
    recovered_at = now()
    zero_at = wait_empty(redis, recovered_at + (@ttl_s + 20) * 1000)
    assert RedisServer.dbsize(redis) == 0

    IO.puts("""

    Redis load: #{@views * @lives} stashes over #{@views} views (TTL #{@write_ttl_s} s, #{@ttl_s} s once recovered)
      stashed in   #{written_ms} ms (#{rate(@views * @lives, written_ms)}/s, each a mount + SET)
      recovered in #{recovered_ms} ms (#{rate(length(recovered), recovered_ms)}/s, each a mount + GET + SET)
      oldest stash at recovery: #{oldest} ms old
      DBSIZE #{@views * @lives} after the writes, 0 #{zero_at - recovered_at} ms after the last recovery
    """)
  end

  defp each_view(life, fun), do: each(Enum.map(1..@views, &(life * 100_000 + &1)), fun)

  defp each(items, fun) do
    items
    |> Task.async_stream(fun, max_concurrency: 64, ordered: false, timeout: 30_000)
    |> Stream.map(fn {:ok, result} -> result end)
  end

  defp stash(count) do
    {:ok, pid} = ViewServer.start(@view, params: Client.fresh_params(), id: page(count))
    :ok = ViewServer.update(pid, {View, :put_count, [count]})
    params = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)
    {count, params, now()}
  end

  defp recover({count, params, written_at}) do
    {:ok, pid} = ViewServer.start(@view, params: params, id: page(count))
    %{recover_status: status, count: got} = ViewServer.assigns(pid)
    ViewServer.stop(pid)
    {status, count, got, now() - written_at}
  end

  # Each view is its own page, whose DOM id its reconnect keeps.
  defp page(count), do: "phx-load-#{count}"

  defp wait_empty(redis, deadline) do
    cond do
      RedisServer.dbsize(redis) == 0 -> now()
      now() > deadline -> now()
      true -> Process.sleep(250) && wait_empty(redis, deadline)
    end
  end

  defp rate(n, ms), do: round(n * 1000 / max(ms, 1))
  defp now, do: System.monotonic_time(:millisecond)
end
