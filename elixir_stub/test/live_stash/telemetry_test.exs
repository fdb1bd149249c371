defmodule LiveStash.TelemetryTest do
  @moduledoc """
  What each scenario emits through `:telemetry` (the test double), as an app's handler
  or LiveDashboard would see it. Not async: handlers are global, and one test plays a
  node without `:telemetry`.
  """
  use ExUnit.Case, async: false

  import ExUnit.CaptureLog
  import LiveStash.Test.Flow

  alias LiveStash.{Lease, Record}
  alias LiveStash.Adapters.{BrowserMemory, ETS}
  alias LiveStash.Telemetry.Optional

  alias LiveStash.Test.{
    Client,
    ComponentFlow,
    Define,
    Endpoint,
    Item,
    TelemetryEvents,
    View,
    ViewServer
  }

  @stash_state "live-stash:stash-state"

  defmodule Counter do
    use LiveStash.Test.View, stored_keys: [:count]
  end

  defmodule Browser do
    use LiveStash.Test.View, adapter: BrowserMemory, security_mode: :sign, stored_keys: [:count]
  end

  defmodule Todo do
    use LiveStash.Test.ComponentView, stored_keys: [:items]
  end

  # Stores like ETS, but a put of a negative count raises: an adapter that crashes.
  defmodule Crashing do
    use LiveStash.Test.ETSLike

    def put(socket, state, %Record{assigns: %{count: count}} = record) do
      if count < 0, do: raise("the store crashed"), else: ETS.put(socket, state, record)
    end
  end

  setup do
    TelemetryEvents.attach!()
    :ok
  end

  defp span(name, step), do: [:live_stash, name, step]

  # The stop event of `name` for `view`, after asserting its start came first with the
  # same span context.
  defp assert_span(name, view) do
    assert_receive {:telemetry, [:live_stash, ^name, :start], start, %{view: ^view} = meta}
    assert %{monotonic_time: _, system_time: _} = start
    context = meta.telemetry_span_context

    assert_receive {:telemetry, [:live_stash, ^name, :stop], %{duration: duration} = stop,
                    %{view: ^view, telemetry_span_context: ^context} = stop_meta}

    assert is_integer(duration) and duration >= 0
    Map.merge(stop_meta, %{measurements: stop, start: meta})
  end

  # Mounts Browser with `token` handed back as the browser would; the recover stop event,
  # of `status`. A token's problems are never the adapter failing.
  defp recover_from(token, status) do
    TelemetryEvents.received()
    pid = start!(Browser, Client.join_params([[@stash_state, %{assigns: token}]]))
    assert ViewServer.assigns(pid).recover_status == status
    assert %{status: ^status} = stop = assert_span(:recover, Browser)
    refute_received {:telemetry, [:live_stash, :adapter, :error], _, _}
    stop
  end

  # The state a view's records are written with (its id, version and session).
  defp written_by(pid), do: ViewServer.socket(pid).private.live_stash

  describe "recover" do
    test "a fresh mount is :new; the dead render before it emits nothing" do
      pid = start!(Counter, nil)
      assert ViewServer.assigns(pid).recover_status == :new
      refute_receive {:telemetry, _, _, %{view: Counter}}

      start!(Counter, Client.fresh_params())
      stop = assert_span(:recover, Counter)
      assert %{status: :new, adapter: ETS} = stop
      assert stop.start == Map.delete(stop, :status) |> Map.drop([:measurements, :start])
      refute Map.has_key?(stop, :reason)
    end

    test "a reconnect is :recovered, and the rewrite that restarts the ttl is a stash" do
      pid = stashed_view(Counter, 4)
      assert %{status: :ok, adapter: ETS} = assert_span(:stash, Counter)
      TelemetryEvents.received()

      pid = reconnect(pid, Counter)
      assert ViewServer.assigns(pid).count == 4
      assert %{status: :recovered, adapter: ETS} = assert_span(:recover, Counter)
      assert %{status: :ok} = assert_span(:stash, Counter)
    end

    test "a reconnect that finds nothing is :not_found, with no reason" do
      start!(
        Counter,
        Client.join_params([["live-stash:init-ets", %{node: "x", stashId: "gone"}]])
      )

      stop = assert_span(:recover, Counter)
      assert stop.status == :not_found
      refute Map.has_key?(stop, :reason)
    end

    test "an expired browser token is :not_found with reason :expired" do
      pid = stashed_view(Browser, 3)
      state = ViewServer.socket(pid).private.live_stash
      ViewServer.stop(pid)

      # Signed longer than a ttl ago, and no lease for it.
      data = Record.encode(Record.new(state, Browser, %{count: 3}))
      signed_at = System.system_time(:second) - state.options.ttl - 10

      token =
        Phoenix.Token.sign(Endpoint, state.options.secret, data,
          signed_at: signed_at,
          max_age: Lease.bound(state.options.ttl)
        )

      assert %{reason: :expired} = recover_from(token, :not_found)
    end

    test "a tampered browser token is :error with reason :tampered, not an adapter error" do
      pid = stashed_view(Browser, 5, official: true)
      [%{assigns: token}] = ViewServer.payloads(pid, @stash_state)
      ViewServer.stop(pid)
      forged = String.slice(token, 0..-3//1) <> "AA"

      assert %{reason: :tampered} = recover_from(forged, :error)
    end

    test "a stash of another version is :error with reason :version_mismatch" do
      view = Define.view!(LiveStash.TelemetryTest.Deployed, stored_keys: [:count], version: 1)
      pid = stashed_view(view, 2)
      Define.view!(view, stored_keys: [:count], version: 2)

      TelemetryEvents.received()
      pid = reconnect(pid, view)
      assert ViewServer.assigns(pid).recover_status == :error
      assert %{status: :error, reason: :version_mismatch} = assert_span(:recover, view)
    end
  end

  describe "stash" do
    test "a browser stash reports the size of the encoded record; an unchanged one emits nothing" do
      pid = start!(Browser, Client.fresh_params(%{}, official: true))
      TelemetryEvents.received()
      :ok = ViewServer.update(pid, {View, :put_count, [41]})

      stop = assert_span(:stash, Browser)
      assert %{status: :ok, adapter: BrowserMemory} = stop
      expected = byte_size(Record.encode(Record.new(written_by(pid), Browser, %{count: 41})))
      assert stop.measurements.bytes == expected

      :ok = ViewServer.update(pid, {View, :put_count, [41]})
      refute_receive {:telemetry, [:live_stash, :stash, :start], _, _}
    end

    test "a keyed browser stash reports what it serialised: the changed key and the manifest" do
      pid = start!(Browser, Client.fresh_params())
      :ok = ViewServer.update(pid, {View, :put_count, [1]})
      TelemetryEvents.received()
      :ok = ViewServer.update(pid, {View, :put_count, [2]})

      stop = assert_span(:stash, Browser)
      assert stop.measurements.bytes > 0
    end

    test "ETS stores the term as it is: no bytes, rather than paying to encode it" do
      stashed_view(Counter, 1)
      stop = assert_span(:stash, Counter)
      refute Map.has_key?(stop.measurements, :bytes)
    end

    test "a component's stash names the component; its recovery too" do
      pid = ComponentFlow.fresh(Todo)
      TelemetryEvents.received()
      ComponentFlow.type(pid, "a", "buy milk")

      stop = assert_span(:stash, Todo)
      assert %{status: :ok, adapter: ETS, component: {Item, "a"}} = stop
      assert stop.start.component == {Item, "a"}

      pid = ComponentFlow.reconnect(pid, Todo)
      assert %{draft: "buy milk"} = ComponentFlow.item(pid, "a")
      events = TelemetryEvents.received()

      assert Enum.any?(
               events,
               &match?(
                 {[:live_stash, :recover, :stop], _,
                  %{view: Todo, status: :recovered, component: {Item, "a"}}},
                 &1
               )
             )

      # The view's own recovery carries no component.
      assert Enum.any?(events, fn {name, _, meta} ->
               name == span(:recover, :stop) and not Map.has_key?(meta, :component)
             end)
    end

    test "an adapter that raises: an :exception event, and the error still reaches the caller" do
      adapters = Application.get_env(:live_stash, :adapters)
      Application.put_env(:live_stash, :adapters, adapters ++ [Crashing])
      on_exit(fn -> Application.put_env(:live_stash, :adapters, adapters) end)

      view =
        Define.view!(LiveStash.TelemetryTest.OnCrashing, adapter: Crashing, stored_keys: [:count])

      pid = start!(view, Client.fresh_params())
      test = self()
      TelemetryEvents.received()

      :ok =
        ViewServer.update(pid, fn socket ->
          try do
            View.put_count(socket, -1)
          rescue
            error -> send(test, {:raised, error}) && socket
          end
        end)

      assert_received {:raised, %RuntimeError{message: "the store crashed"}}
      assert_received {:telemetry, [:live_stash, :stash, :start], _, %{view: ^view}}

      assert_received {:telemetry, [:live_stash, :stash, :exception],
                       %{duration: _, monotonic_time: _},
                       %{
                         view: ^view,
                         adapter: Crashing,
                         kind: :error,
                         reason: %RuntimeError{},
                         stacktrace: [_ | _],
                         telemetry_span_context: _
                       }}

      refute_received {:telemetry, [:live_stash, :stash, :stop], _, _}
    end
  end

  test "reset and each keep-alive beat are spans" do
    pid = stashed_view(Counter, 7)
    TelemetryEvents.received()

    beat(pid)
    stop = assert_span(:keep_alive, Counter)
    assert stop.adapter == ETS
    refute Map.has_key?(stop.measurements, :bytes)

    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    assert %{adapter: ETS} = assert_span(:reset, Counter)
  end

  test "a browser beat that re-issues the token reports its size" do
    pid = stashed_view(Browser, 9, official: true)
    # Forget which token the browser holds: the next beat must sign it again.
    :ok =
      ViewServer.update(pid, fn socket ->
        Process.delete({:live_stash_browser_token, socket.id}) && socket
      end)

    TelemetryEvents.received()

    beat(pid)
    stop = assert_span(:keep_alive, Browser)

    assert stop.measurements.bytes ==
             byte_size(Record.encode(Record.new(written_by(pid), Browser, %{count: 9})))
  end

  test "a handler that raises is detached and the LiveView goes on" do
    id = {__MODULE__, :raising}
    :ok = :telemetry.attach(id, span(:stash, :stop), &__MODULE__.raise_in_handler/4, nil)
    on_exit(fn -> :telemetry.detach(id) end)

    log = capture_log(fn -> stashed_view(Counter, 1) end)
    assert log =~ "has failed and has been detached"
    assert [] == :telemetry.list_handlers(span(:stash, :stop)) |> Enum.filter(&(&1.id == id))

    pid = reconnect(stashed_view(Counter, 2), Counter)
    assert ViewServer.assigns(pid).count == 2
  end

  def raise_in_handler(_event, _measurements, _metadata, _config), do: raise("a broken handler")

  test "without :telemetry on the node, live-stash emits nothing and works the same" do
    Optional.check(fn
      :telemetry -> false
      module -> Code.ensure_loaded?(module)
    end)

    on_exit(fn -> Optional.check() end)

    pid = stashed_view(Browser, 6)
    beat(pid)
    pid = reconnect(pid, Browser)
    assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)

    assert TelemetryEvents.received() == []
  end

  describe "metrics/0" do
    test "every metric charts events live-stash emits, with the tags it names" do
      pid = stashed_view(Browser, 1)
      reconnect(pid, Browser)
      start!(Counter, Client.fresh_params())
      events = TelemetryEvents.received()

      for metric <- LiveStash.Telemetry.metrics(),
          metric.event_name != [:live_stash, :adapter, :error] do
        assert Enum.any?(events, fn {name, measurements, metadata} ->
                 name == metric.event_name and value(metric, measurements) != nil and
                   Enum.all?(metric.tags, &Map.has_key?(metric.tag_values.(metadata), &1))
               end),
               "#{inspect(metric.name)} would chart nothing"
      end

      assert %Telemetry.Metrics.Counter{tags: [:status, :view]} =
               Enum.find(
                 LiveStash.Telemetry.metrics(),
                 &(&1.name == [:live_stash, :recover, :count])
               )

      assert %{view: "LiveStash.TelemetryTest.Counter", status: :new} =
               LiveStash.Telemetry.tag_values(%{view: Counter, status: :new})
    end

    test "without :telemetry_metrics it says which dependency to add" do
      error = assert_raise RuntimeError, fn -> LiveStash.Telemetry.metrics(fn _ -> false end) end
      assert error.message =~ ":telemetry_metrics"
      assert error.message =~ "deps"
    end
  end

  defp value(%{measurement: fun}, measurements) when is_function(fun, 1), do: fun.(measurements)
  defp value(%{measurement: key}, measurements), do: measurements[key]
end
