defmodule LiveStash.AutoStashTest do
  use ExUnit.Case, async: true

  import LiveStash.Test.Flow

  alias LiveStash.Test.{AutoItem, Client, TelemetryEvents, View, ViewServer}

  # Our client accepts keys (a push per changed key), the official one whole tokens.
  @pushes [LiveStash.Events.stash_state(), LiveStash.Events.stash_keys()]
  # Declared through `use LiveStash` exactly as an app would: the options must pass
  # validation. An interval of 60 s never fires by itself during a test: the tests fire it.
  defmodule EveryRender do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:count],
      auto_stash: true,
      auto_stash_interval: 0
  end

  defmodule Browser do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:count],
      auto_stash: true,
      auto_stash_interval: 60_000
  end

  defmodule ETS do
    use LiveStash.Test.View, stored_keys: [:count], auto_stash: true, auto_stash_interval: 60_000
  end

  defmodule DefaultETS do
    use LiveStash.Test.View, stored_keys: [:count], auto_stash: true
  end

  defmodule Default do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:count],
      auto_stash: true
  end

  # A terminate/2 of its own, which must still run.
  defmodule OwnTerminate do
    use Phoenix.LiveView
    use LiveStash, stored_keys: [:count], auto_stash: true, auto_stash_interval: 60_000

    def mount(_params, _session, socket),
      do: {:ok, LiveStash.Test.View.recover(socket, count: 0, other: nil)}

    def terminate(reason, socket) do
      send(socket.assigns.other, {:terminated, reason})
      :ok
    end
  end

  defmodule Parent do
    use LiveStash.Test.ComponentView,
      stored_keys: [:items],
      item_module: LiveStash.Test.AutoItem,
      auto_stash_interval: 60_000
  end

  defmodule BrowserParent do
    use LiveStash.Test.ComponentView,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:items],
      item_module: LiveStash.Test.AutoItem,
      auto_stash_interval: 60_000
  end

  defp set_count(pid, count), do: :ok = ViewServer.update(pid, {View, :set_count, [count]})
  # The stashes pushed to the browser, whole or keyed.
  defp pushed(pid), do: Enum.flat_map(@pushes, &ViewServer.payloads(pid, &1))

  # The server stores' writes of `view` so far (stash spans; TelemetryEvents attached).
  defp writes(view) do
    for {[:live_stash, :stash, :stop], _, %{view: ^view, status: :ok}} <-
          TelemetryEvents.received(),
        do: :write
  end

  test "auto_stash_interval: 0 stashes after each render without calling stash/1" do
    pid = start!(EveryRender, Client.fresh_params())
    # the first render stashes the initial value
    assert [_] = pushed(pid)

    set_count(pid, 1)
    set_count(pid, 2)
    assert length(pushed(pid)) == 3

    # a render with the stored value unchanged writes nothing (fingerprint)
    :ok = ViewServer.update(pid, &Phoenix.Component.assign(&1, :other, :changed))
    assert length(pushed(pid)) == 3

    pid = reconnect(pid, EveryRender)
    assert %{recover_status: :recovered, count: 2} = ViewServer.assigns(pid)
  end

  test "a server store's renders within the interval make one write, of the last state" do
    TelemetryEvents.attach!()
    pid = start!(ETS, Client.fresh_params())
    for count <- 1..20, do: set_count(pid, count)
    # nothing written yet: not per render
    assert writes(ETS) == []

    fire_auto_stash(pid)
    assert [_one] = writes(ETS)

    # A render that changes no stored assign arms nothing.
    :ok = ViewServer.update(pid, &Phoenix.Component.assign(&1, :other, :changed))
    assert auto_stash_timer(pid) == nil

    pid = reconnect(pid, ETS)
    assert %{recover_status: :recovered, count: 20} = ViewServer.assigns(pid)
  end

  test "a server store's timer fires by itself by default (after 500 ms)" do
    TelemetryEvents.attach!()
    pid = start!(DefaultETS, Client.fresh_params())
    set_count(pid, 1)
    assert eventually(fn -> writes(DefaultETS) != [] end)
    assert auto_stash_timer(pid) == nil

    assert %{recover_status: :recovered, count: 1} =
             ViewServer.assigns(reconnect(pid, DefaultETS))
  end

  test "an explicit stash/1 writes at once and takes the pending auto write with it" do
    TelemetryEvents.attach!()
    pid = start!(ETS, Client.fresh_params())
    set_count(pid, 1)
    pending = auto_stash_timer(pid)

    :ok = ViewServer.update(pid, {View, :put_count, [2]})
    assert [_] = writes(ETS)

    # its timer finds nothing left to write
    fire_auto_stash(pid, pending)
    assert writes(ETS) == []
    assert %{recover_status: :recovered, count: 2} = ViewServer.assigns(reconnect(pid, ETS))
  end

  describe "BrowserMemory" do
    test "each render that changes a stored key pushes with it, whatever the interval" do
      pid = start!(Browser, Client.fresh_params())
      # the first render pushes the initial value
      assert [_] = pushed(pid)

      for count <- 1..3, do: set_count(pid, count)
      assert length(pushed(pid)) == 4
      assert auto_stash_timer(pid) == nil

      # a render with the stored value unchanged pushes nothing
      :ok = ViewServer.update(pid, &Phoenix.Component.assign(&1, :other, :changed))
      assert length(pushed(pid)) == 4

      pid = reconnect(pid, Browser)
      assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(pid)
    end

    # Issue 21, part 8: a terminating LiveView can push nothing, so a push held back for
    # the interval was lost with the socket.
    for official <- [false, true] do
      client = if official, do: "the official client", else: "our client"

      test "two changes, a drop 150 ms later: #{client} recovers the newest" do
        official = unquote(official)
        pid = start!(Default, Client.fresh_params(%{}, official: official))
        set_count(pid, 1)
        set_count(pid, 2)
        Process.sleep(150)

        pid = reconnect(pid, Default, official: official)
        assert %{recover_status: :recovered, count: 2} = ViewServer.assigns(pid)
      end

      test "#{client} never recovers an older state as :recovered after a late change" do
        official = unquote(official)
        pid = start!(Default, Client.fresh_params(%{}, official: official))
        set_count(pid, 1)
        # a push of 1 (held for the interval, before the fix) reached the browser
        assert eventually(fn -> pushed(pid) != [] end)
        set_count(pid, 2)

        pid = reconnect(pid, Default, official: official)
        assert %{recover_status: :recovered, count: 2} = ViewServer.assigns(pid)
      end
    end

    test "a component's change pushes at once, with the parent's record" do
      pid = start!(BrowserParent, Client.fresh_params(), id: ViewServer.random_id())
      before = length(pushed(pid))

      for draft <- ["h", "he"],
          do: :ok = ViewServer.component_event(pid, AutoItem, "a", "type", %{"draft" => draft})

      assert length(pushed(pid)) == before + 2
      assert auto_stash_timer(pid) == nil

      pid = reconnect(pid, BrowserParent)

      assert %{recover_status: :recovered, draft: "he"} = ViewServer.component(pid, AutoItem, "a")
    end
  end

  # How a LiveView ends normally: the socket closes, or the endpoint drains it at shutdown.
  for ending <- [:closed, :draining] do
    test "a write pending when the view ends (#{ending}) is written on terminate" do
      pid = start!(ETS, Client.fresh_params(), id: "phx-auto")
      set_count(pid, 7)
      assert auto_stash_timer(pid) != nil
      params = Client.join_params(ViewServer.events(pid))
      end_view(pid, unquote(ending))

      # the same view joins again (the same socket id)
      pid = start!(ETS, params, id: "phx-auto")
      assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
    end
  end

  defp end_view(pid, :closed), do: ViewServer.stop(pid)

  defp end_view(pid, :draining), do: LiveStash.Test.Shutdown.drain!(pid)

  test "the view's own terminate/2 still runs after the pending write" do
    pid = start!(OwnTerminate, Client.fresh_params())
    test = self()
    :ok = ViewServer.update(pid, &Phoenix.Component.assign(&1, other: test, count: 3))
    pid = reconnect(pid, OwnTerminate)
    assert_received {:terminated, {:shutdown, :closed}}
    assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(pid)
  end

  test "reset_stash wins over a pending auto write" do
    pid = start!(ETS, Client.fresh_params())
    :ok = ViewServer.update(pid, {View, :put_count, [3]})
    set_count(pid, 4)
    pending = auto_stash_timer(pid)

    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    # neither the old timer nor the terminate writes the pre-reset state back
    fire_auto_stash(pid, pending)
    pid = reconnect(pid, ETS)
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
  end

  test "components' auto stashes share the parent's interval: one write, the last draft" do
    pid = start!(Parent, Client.fresh_params(), id: "phx-auto")
    fire_auto_stash(pid)
    TelemetryEvents.attach!()

    for draft <- ["h", "he", "hel", "hell", "hello"],
        do: :ok = ViewServer.component_event(pid, AutoItem, "a", "type", %{"draft" => draft})

    assert writes(Parent) == []
    fire_auto_stash(pid)
    assert [_one] = writes(Parent)

    params = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)
    pid = start!(Parent, params, id: "phx-auto")

    assert %{recover_status: :recovered, draft: "hello"} =
             ViewServer.component(pid, AutoItem, "a")
  end

  test "without auto_stash nothing is stashed until stash/1 is called" do
    defmodule Manual do
      use LiveStash.Test.View,
        adapter: LiveStash.Adapters.BrowserMemory,
        security_mode: :sign,
        stored_keys: [:count]
    end

    pid = start!(Manual, Client.fresh_params())
    set_count(pid, 1)
    assert pushed(pid) == []
    assert auto_stash_timer(pid) == nil
  end
end
