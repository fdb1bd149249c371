defmodule LiveStash.Store.WriteBehindTest do
  @moduledoc """
  `LiveStash.Store.WriteBehind` against a store the test holds in its hand: every
  write and probe waits until the test answers it, so a stalled store is exact, not timed.
  """
  use ExUnit.Case, async: false

  import ExUnit.CaptureLog

  alias LiveStash.Store.WriteBehind

  @writer LiveStash.Store.WriteBehindTest.Writer
  @view LiveStash.Store.WriteBehindTest.SomeView
  @ttl 60_000

  defmodule Gate do
    @moduledoc "A store whose every call waits for the test's answer."
    @behaviour LiveStash.Store.WriteBehind

    @impl true
    def write(key, op), do: ask({:write, key, op})

    @impl true
    def probe, do: ask(:probe)

    defp ask(what) do
      send(LiveStash.Store.WriteBehindTest, {what, self()})
      receive(do: ({:answer, result} -> result))
    end
  end

  setup do
    Process.register(self(), __MODULE__)
    start_supervised!({WriteBehind, name: @writer, store: Gate, flush_ms: 300})
    :ok
  end

  defp put(key, value, ttl \\ @ttl), do: :ok = WriteBehind.put(@writer, key, value, ttl, @view)

  # The next write the store is asked for: {key, op, the task waiting for the answer}.
  defp next_write do
    assert_receive {{:write, key, op}, task}, 2_000
    {key, op, task}
  end

  defp answer(task, result \\ :ok), do: send(task, {:answer, result})

  test "while the store holds a write, newer ones replace each other: only the newest follows" do
    put("k", 1)
    assert {"k", {:put, 1, @ttl}, task} = next_write()

    for value <- 2..5, do: put("k", value)
    # a read on this node sees the newest pending write
    assert WriteBehind.lookup(@writer, "k") == {:ok, 5}

    answer(task)
    assert {"k", {:put, 5, @ttl}, task} = next_write()
    answer(task)
    assert WriteBehind.sync(@writer) == :ok
    refute_received {{:write, _, _}, _}
    assert WriteBehind.lookup(@writer, "k") == :none
  end

  test "a delete is never overtaken by an older pending write of its key" do
    put("k", 1)
    {"k", {:put, 1, _}, task} = next_write()
    put("k", 2)
    :ok = WriteBehind.delete(@writer, "k", @ttl, @view)
    assert WriteBehind.lookup(@writer, "k") == :deleted

    answer(task)
    assert {"k", :delete, task} = next_write()
    answer(task)
    assert WriteBehind.sync(@writer) == :ok
    refute_received {{:write, _, _}, _}
  end

  test "one slow key does not hold up the others" do
    put("slow", 1)
    {"slow", _, slow} = next_write()
    put("other", 1)
    assert {"other", {:put, 1, _}, other} = next_write()
    answer(other)
    answer(slow)
    assert WriteBehind.sync(@writer) == :ok
  end

  test "a failed write is logged once for its view, kept, and its newest state written once the store answers" do
    log =
      capture_log(fn ->
        put("k", 1)
        {"k", _, task} = next_write()
        answer(task, {:error, :down})

        # The writer backs off, then asks the store before sending anything again.
        assert_receive {:probe, prober}, 2_000
        put("k", 2)
        put("j", 1)
        assert WriteBehind.lookup(@writer, "k") == {:ok, 2}
        answer(prober, {:error, :still_down})
        assert_receive {:probe, prober}, 2_000
        answer(prober, :ok)

        writes = for _ <- 1..2, do: next_write()

        assert Enum.sort(for {key, {:put, value, _}, _} <- writes, do: {key, value}) ==
                 [{"j", 1}, {"k", 2}]

        for {_, _, task} <- writes, do: answer(task)
        assert WriteBehind.sync(@writer) == :ok
      end)

    # Each stash is named once, with the reason: "k" failed, "j" was held up behind it.
    assert [_, _] = Regex.scan(~r/could not stash #{inspect(@view)}: :down/, log)
  end

  test "a failed stash is the adapter error event a failed write in the LiveView would be" do
    LiveStash.Test.TelemetryEvents.attach!()

    capture_log(fn ->
      put("k", 1)
      {"k", _, task} = next_write()
      answer(task, {:error, :down})

      assert_receive {:telemetry, [:live_stash, :adapter, :error], %{monotonic_time: _},
                      %{adapter: Gate, view: @view, operation: :put, reason: :down}}

      stop_supervised!(@writer)
    end)
  end

  test "a stash handed over while the writer waits for the store is an adapter error event too" do
    LiveStash.Test.TelemetryEvents.attach!()

    capture_log(fn ->
      put("k", 1)
      {"k", _, task} = next_write()
      answer(task, {:error, :down})
      assert_receive {:telemetry, [:live_stash, :adapter, :error], _, %{reason: :down}}

      # The store is out: "j" is not tried before a probe succeeds, yet its view hears of it.
      put("j", 1)

      assert_receive {:telemetry, [:live_stash, :adapter, :error], _,
                      %{adapter: Gate, view: @view, operation: :put, reason: :down}}

      stop_supervised!(@writer)
    end)
  end

  test "a row the store never takes expires after its ttl, with one warning" do
    log =
      capture_log(fn ->
        put("k", 1, 50)
        {"k", _, task} = next_write()
        answer(task, {:error, :down})
        # The first probe comes after the row's 50 ms: it is dropped before the probe.
        assert_receive {:probe, prober}, 2_000
        assert WriteBehind.lookup(@writer, "k") == :none
        answer(prober, :ok)
        assert WriteBehind.sync(@writer) == :ok
      end)

    assert log =~ "dropped the unwritten stash of #{inspect(@view)}"
  end

  test "the keep-alive keeps a pending row alive past its ttl" do
    capture_log(fn ->
      put("k", 1, 150)
      {"k", _, task} = next_write()
      :ok = WriteBehind.touch(@writer, "k", @ttl, @view)
      answer(task, {:error, :down})
      assert_receive {:probe, prober}, 2_000
      answer(prober, {:error, :down})
      # The next probe comes 200 ms later, past the 150 ms the row was written with.
      assert_receive {:probe, _prober}, 2_000
      assert WriteBehind.lookup(@writer, "k") == {:ok, 1}
      # (its shutdown gives up on the row: logged here, not after the test)
      stop_supervised!(@writer)
    end)
  end

  test "without a pending row, the keep-alive asks the store to extend the stored one" do
    :ok = WriteBehind.touch(@writer, "k", @ttl, @view)
    assert {"k", {:touch, @ttl}, task} = next_write()
    # a touch is not something to read
    assert WriteBehind.lookup(@writer, "k") == :none
    answer(task)
    assert WriteBehind.sync(@writer) == :ok
  end

  # A supervisor of its own, stopped from another process, as a node shutdown stops it.
  defp own_writer(opts \\ []) do
    stop_supervised!(@writer)

    {:ok, sup} =
      Supervisor.start_link([{WriteBehind, [name: @writer, store: Gate] ++ opts}],
        strategy: :one_for_one
      )

    sup
  end

  test "a graceful shutdown writes what is pending before the writer goes" do
    sup = own_writer()
    put("k", 1)
    {"k", _, task} = next_write()
    put("k", 2)
    put("j", 1)

    stopping = Task.async(fn -> Supervisor.stop(sup) end)
    answer(task)
    writes = for _ <- 1..2, do: next_write()

    assert Enum.sort(for {key, {:put, value, _}, _} <- writes, do: {key, value}) ==
             [{"j", 1}, {"k", 2}]

    for {_, _, task} <- writes, do: answer(task)
    assert Task.await(stopping) == :ok
  end

  test "a shutdown gives up after its bound, and says how many stashes it could not write" do
    sup = own_writer(flush_ms: 200)
    put("k", 1)
    {"k", _, _never_answered} = next_write()

    log = capture_log(fn -> assert Supervisor.stop(sup) == :ok end)
    assert log =~ "could not write 1 pending stash(es) before shutdown"
    assert log =~ "within 200 ms"
  end
end
