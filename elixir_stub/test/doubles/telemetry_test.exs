defmodule LiveStash.Doubles.TelemetryTest do
  @moduledoc """
  Keeps the `:telemetry` and `Telemetry.Metrics` doubles honest about the behaviour of
  the real libraries that live-stash and its tests rely on.
  """
  use ExUnit.Case, async: true

  import ExUnit.CaptureLog

  # Event names of this test only: handlers are global.
  defp prefix, do: [:doubles_test, String.to_atom("t#{System.unique_integer([:positive])}")]

  defp attach(events) do
    id = make_ref()
    :ok = :telemetry.attach_many(id, events, &__MODULE__.forward/4, self())
    on_exit(fn -> :telemetry.detach(id) end)
    id
  end

  def forward(event, measurements, metadata, pid), do: send(pid, {event, measurements, metadata})
  def fail(_event, _measurements, _metadata, _config), do: raise("handler bug")

  describe ":telemetry.span/3" do
    test "stop carries only the metadata the function returned, with the span's context" do
      p = prefix()
      attach([p ++ [:start], p ++ [:stop]])

      assert :result = :telemetry.span(p, %{a: 1}, fn -> {:result, %{b: 2}} end)

      assert_received {start, %{monotonic_time: t0, system_time: _}, %{a: 1} = start_meta}
      assert start == p ++ [:start]
      context = start_meta.telemetry_span_context
      assert is_reference(context)

      assert_received {_, %{duration: d, monotonic_time: t1}, stop_meta}
      assert stop_meta == %{b: 2, telemetry_span_context: context}
      assert d == t1 - t0
    end

    test "extra measurements join duration and monotonic_time but cannot override them" do
      p = prefix()
      attach([p ++ [:stop]])
      :ok = :telemetry.span(p, %{}, fn -> {:ok, %{bytes: 3, duration: -1}, %{}} end)
      assert_received {_, %{bytes: 3, duration: d, monotonic_time: _}, _}
      assert d >= 0
    end

    test "a given span context is kept" do
      p = prefix()
      attach([p ++ [:start], p ++ [:stop]])

      :telemetry.span(p, %{telemetry_span_context: :mine}, fn ->
        {1, %{telemetry_span_context: :mine}}
      end)

      assert_received {_, _, %{telemetry_span_context: :mine}}
      assert_received {_, _, %{telemetry_span_context: :mine}}
    end

    test "a failure emits :exception with the START metadata, kind, reason, stacktrace, and is re-raised" do
      p = prefix()
      attach([p ++ [:start], p ++ [:stop], p ++ [:exception]])

      assert_raise RuntimeError, "boom", fn ->
        :telemetry.span(p, %{a: 1}, fn -> raise "boom" end)
      end

      assert_received {_, _, %{telemetry_span_context: context}}

      assert_received {event, %{duration: _, monotonic_time: _},
                       %{
                         a: 1,
                         kind: :error,
                         reason: %RuntimeError{},
                         stacktrace: [_ | _],
                         telemetry_span_context: ^context
                       }}

      assert event == p ++ [:exception]

      assert catch_throw(:telemetry.span(p, %{}, fn -> throw(:ball) end)) == :ball
      assert_received {_, _, %{kind: :throw, reason: :ball}}
      assert catch_exit(:telemetry.span(p, %{}, fn -> exit(:bye) end)) == :bye
      assert_received {_, _, %{kind: :exit, reason: :bye}}
      refute_received {[_, _, :stop], _, _}
    end
  end

  describe "handlers" do
    test "ids are unique; detaching an unknown id is :not_found; listing goes by prefix, once per event" do
      p = prefix()
      id = attach([p ++ [:a], p ++ [:b]])

      assert {:error, :already_exists} =
               :telemetry.attach(id, p ++ [:c], &__MODULE__.forward/4, nil)

      assert [%{id: ^id, event_name: a}, %{id: ^id, event_name: b}] = :telemetry.list_handlers(p)
      assert {a, b} == {p ++ [:a], p ++ [:b]}
      assert [%{config: pid, function: fun}] = :telemetry.list_handlers(p ++ [:b])
      assert pid == self() and is_function(fun, 4)

      assert :ok = :telemetry.detach(id)
      assert {:error, :not_found} = :telemetry.detach(id)
      assert [] = :telemetry.list_handlers(p)
    end

    test "bad event names and handlers are refused" do
      assert_raise ArgumentError, fn ->
        :telemetry.attach(make_ref(), [], &__MODULE__.forward/4, nil)
      end

      assert_raise ArgumentError, fn ->
        :telemetry.attach(make_ref(), ["a"], &__MODULE__.forward/4, nil)
      end

      assert_raise FunctionClauseError, fn ->
        :telemetry.attach(make_ref(), [:a], fn _ -> :ok end, nil)
      end
    end

    test "a handler that fails is detached and reported; the others still run; the caller never sees it" do
      p = prefix()
      attach([p, [:telemetry, :handler, :failure]])
      :ok = :telemetry.attach(:failing, p, &__MODULE__.fail/4, :its_config)

      log = capture_log(fn -> assert :ok = :telemetry.execute(p, %{n: 1}, %{}) end)

      assert log =~ "Handler :failing has failed and has been detached"
      assert_received {^p, %{n: 1}, %{}}

      assert_received {[:telemetry, :handler, :failure], %{monotonic_time: _, system_time: _},
                       %{
                         event_name: ^p,
                         handler_id: :failing,
                         handler_config: :its_config,
                         kind: :error,
                         reason: %RuntimeError{},
                         stacktrace: [_ | _]
                       }}

      assert [] = :telemetry.list_handlers(p) |> Enum.filter(&(&1.id == :failing))
    end

    test "a single number instead of measurements is deprecated and sent as %{value: n}" do
      p = prefix()
      attach([p])
      assert capture_log(fn -> :telemetry.execute(p, 5, %{}) end) =~ "deprecated"
      assert_received {^p, %{value: 5}, %{}}
    end
  end

  describe "Telemetry.Metrics" do
    alias Telemetry.Metrics

    test "the name gives the event and the measurement; defaults as the real library's" do
      assert %Metrics.Counter{
               name: [:http, :request, :count],
               event_name: [:http, :request],
               measurement: :count,
               tags: [],
               description: nil,
               unit: :unit,
               reporter_options: [],
               keep: nil,
               tag_values: tag_values
             } = Metrics.counter("http.request.count")

      assert tag_values.(%{a: 1}) == %{a: 1}

      assert %Metrics.Distribution{event_name: [:a, :b, :stop], measurement: :duration} =
               Metrics.distribution([:a, :b, :count],
                 event_name: "a.b.stop",
                 measurement: :duration
               )

      for f <- [:sum, :last_value, :summary],
          do: assert(%{name: [:x, :y]} = apply(Metrics, f, ["x.y"]))
    end

    test "a unit conversion stores the target unit and converts the measurement" do
      metric = Metrics.summary("a.stop.duration", unit: {:native, :millisecond})
      assert metric.unit == :millisecond
      native = System.convert_time_unit(3, :millisecond, :native)
      assert metric.measurement.(%{duration: native}) == 3
      assert metric.measurement.(%{}) == nil

      bytes = Metrics.last_value("vm.memory.total", unit: {:byte, :kilobyte})
      assert bytes.measurement.(%{total: 2_000}) == 2.0

      assert %{unit: :byte, measurement: :size} =
               Metrics.distribution("a.size", unit: {:byte, :byte})
    end

    test "keep or drop becomes the keep predicate; bad options raise" do
      assert Metrics.counter("a.b", drop: &(&1.x == 1)).keep.(%{x: 2})

      for opts <- [
            [keep: &(&1 == 1), drop: &(&1 == 1)],
            [unit: {:native, :byte}],
            [tags: :status],
            [tag_values: :nope],
            [description: 1],
            [reporter_options: [1]]
          ] do
        assert_raise ArgumentError, fn -> Metrics.counter("a.b", opts) end
      end

      assert_raise ArgumentError, fn -> Metrics.counter("a..b") end
      assert_raise ArgumentError, fn -> Metrics.counter("") end
    end
  end
end
