defmodule LiveStash.ComponentTest do
  use ExUnit.Case, async: true

  import ExUnit.CaptureLog
  import LiveStash.Test.ComponentFlow
  import LiveStash.Test.Flow, only: [start!: 2, start!: 3]

  alias LiveStash.Test.{AutoItem, Client, ComponentView, Define, Item, OtherItem, ViewServer}

  @stash "live-stash:stash-state"

  alias LiveStash.Test.BrowserTodo, as: Browser
  alias LiveStash.Test.ServerTodo, as: Server

  # Components' auto stashes, written as they happen (coalescing: auto_stash_test.exs).
  defmodule Auto do
    use LiveStash.Test.ComponentView,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:items],
      item_module: LiveStash.Test.AutoItem,
      auto_stash_interval: 0
  end

  for view <- [Browser, Server] do
    describe "#{inspect(view)}" do
      test "a reconnect restores each component's state to its own id" do
        pid = fresh(unquote(view))
        assert %{recover_status: :new, draft: ""} = item(pid, "a")
        type(pid, "a", "buy milk")
        type(pid, "b", "call mum")

        pid = reconnect(pid, unquote(view))
        assert %{recover_status: :recovered, editing: true, draft: "buy milk"} = item(pid, "a")
        assert %{recover_status: :recovered, draft: "call mum"} = item(pid, "b")
      end

      test "two components of one module never swap, whatever the render order" do
        pid = fresh(unquote(view))
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["b", "a"]]})
        type(pid, "a", "A")
        type(pid, "b", "B")

        pid = reconnect(pid, unquote(view))
        assert ViewServer.assigns(pid).items == ["b", "a"]
        assert %{draft: "A"} = item(pid, "a")
        assert %{draft: "B"} = item(pid, "b")
      end

      test "a component removed from the page is dropped at the parent's next stash" do
        pid = fresh(unquote(view))
        type(pid, "a", "gone soon")
        type(pid, "b", "stays")

        # The parent removes "a" and stashes; the browser confirms the removal later.
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["b"]]})
        assert item(pid, "a") == nil
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["b", "c"]]})

        pid = reconnect(pid, unquote(view))
        # Added back after the reconnect, "a" starts fresh.
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a", "b", "c"]]})
        assert %{recover_status: :not_found, draft: ""} = item(pid, "a")
        assert %{recover_status: :recovered, draft: "stays"} = item(pid, "b")
      end

      test "a component whose id changed is dropped too" do
        pid = fresh(unquote(view))
        type(pid, "a", "old id")
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a2", "b"]]})
        assert %{recover_status: :new, draft: ""} = item(pid, "a2")
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a2", "b", "c"]]})

        pid = reconnect(pid, unquote(view))
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a", "a2", "b", "c"]]})
        assert %{recover_status: :not_found, draft: ""} = item(pid, "a")
      end
    end
  end

  test "recovery happens once: later updates from the parent keep the user's state" do
    pid = fresh(Browser)
    type(pid, "a", "stashed")
    pid = reconnect(pid, Browser)
    assert %{draft: "stashed"} = item(pid, "a")

    :ok = ViewServer.component_event(pid, Item, "a", "scribble", %{"draft" => "typing on"})
    :ok = ViewServer.update(pid, {ComponentView, :set_title, ["re-rendered"]})

    assert %{draft: "typing on", title: "re-rendered", recover_status: :recovered} =
             item(pid, "a")

    Phoenix.LiveView.send_update(pid, Item, id: "a", title: "sent")
    assert %{draft: "typing on", title: "sent"} = item(pid, "a")
  end

  test "a component removed and added again in one session starts fresh" do
    pid = fresh(Browser)
    type(pid, "a", "first life")
    pid = reconnect(pid, Browser)
    assert %{draft: "first life"} = item(pid, "a")

    :ok = ViewServer.update(pid, {ComponentView, :put_items, [["b"]]})
    :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a", "b"]]})
    assert %{recover_status: :new, draft: ""} = item(pid, "a")
  end

  test "the same id in another component module keeps its own state" do
    {:ok, pid} =
      ViewServer.start(
        Define.view!(
          Module.concat(__MODULE__, Mixed),
          [item_module: OtherItem, stored_keys: [:items]],
          ComponentView
        ),
        params: Client.fresh_params(),
        id: "phx-mixed"
      )

    type(pid, "a", "other", OtherItem)
    assert %{draft: "other"} = item(pid, "a", OtherItem)
    assert item(pid, "a") == nil
  end

  test "components recover even when the parent never stashed its own assigns" do
    pid = fresh(Browser)
    type(pid, "b", "only me")

    pid = reconnect(pid, Browser)
    # Nothing of the parent's was stashed, so the parent itself is :not_found, while the
    # component finds its state.
    assert %{recover_status: :not_found, items: ["a", "b"]} = ViewServer.assigns(pid)
    assert %{recover_status: :recovered, draft: "only me"} = item(pid, "b")
    assert %{recover_status: :not_found} = item(pid, "a")
  end

  test "a fresh mount gives :new, a reconnect with nothing stashed :not_found" do
    pid = fresh(Server)
    assert %{recover_status: :new} = item(pid, "a")
    pid = reconnect(pid, Server)
    assert %{recover_status: :not_found, draft: ""} = item(pid, "a")
  end

  test "a version change rejects the components with the parent (:error)" do
    old = Define.view!(Module.concat(__MODULE__, Versioned), versioned(1), ComponentView)
    pid = start!(old, Client.fresh_params(), id: "phx-v")
    type(pid, "a", "v1 draft")
    :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a"]]})

    new = Define.view!(Module.concat(__MODULE__, Versioned), versioned(2), ComponentView)
    pid = reconnect(pid, new, id: "phx-v")
    assert %{recover_status: :error, items: ["a", "b"]} = ViewServer.assigns(pid)
    assert %{recover_status: :error, draft: ""} = item(pid, "a")
  end

  defp versioned(version) do
    [
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:items],
      version: version
    ]
  end

  test "stashed components whose module is gone or is no component are dropped, not pinged" do
    stale = %{
      # An atom that exists, naming no loaded module (a component removed by a deploy):
      # a send_update to it would crash the LiveView.
      {Atom.to_string(LiveStash.Test.RemovedItem), "z"} => %{draft: "old"},
      {"Elixir.Enum", "e"} => %{draft: "old"},
      {Atom.to_string(Item), "a"} => %{editing: true, draft: "kept"}
    }

    record = LiveStash.Test.Tokens.record(Browser, "phx-todo", %{items: ["a"]}, components: stale)
    token = LiveStash.Test.Tokens.token(record, encrypt: true)

    pid =
      start!(Browser, %{"_mounts" => 1, "liveStash" => %{"stashedState" => token}}, id: "phx-todo")

    assert %{draft: "kept"} = item(pid, "a")

    # The parent's stash starts the sweep; the view lives through it.
    :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a", "b"]]})
    [%{assigns: last} | _] = Enum.reverse(ViewServer.payloads(pid, @stash))
    {:ok, data} = Phoenix.Token.decrypt(LiveStash.Test.Endpoint, "live_stash", last)
    {:ok, written} = LiveStash.Record.decode(data)
    assert Map.keys(written.components) == [{Atom.to_string(Item), "a"}]
  end

  test "the parent's reset_stash drops the components' state too" do
    pid = fresh(Browser)
    type(pid, "a", "to forget")
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)

    pid = reconnect(pid, Browser)
    assert %{recover_status: :not_found, draft: ""} = item(pid, "a")
  end

  test "a component's reset_stash drops only that component" do
    pid = fresh(Server)
    type(pid, "a", "to forget")
    type(pid, "b", "to keep")
    :ok = ViewServer.component_event(pid, Item, "a", "reset")

    pid = reconnect(pid, Server)
    assert %{recover_status: :not_found, draft: ""} = item(pid, "a")
    assert %{recover_status: :recovered, draft: "to keep"} = item(pid, "b")
  end

  test "the browser keep-alive leases the token a component wrote, even if the parent never stashed" do
    pid = fresh(Browser, official: true)
    type(pid, "a", "kept alive")
    tokens = ViewServer.payloads(pid, @stash)
    component_token = List.last(tokens).assigns

    :ok =
      ViewServer.update(pid, fn socket ->
        LiveStash.Adapters.BrowserMemory.keep_alive(socket, socket.private.live_stash)
      end)

    # The beat sends a lease for the component's token, not the token again.
    assert ViewServer.payloads(pid, @stash) == tokens
    assert %{lease: lease} = List.last(ViewServer.payloads(pid, "live-stash:lease"))

    assert {:ok, _signed_at} =
             LiveStash.Lease.verify(
               LiveStash.Test.Endpoint,
               "live_stash",
               lease,
               LiveStash.Lease.digest(component_token),
               300
             )

    params = Client.join_params(ViewServer.events(pid))
    assert params["liveStash"]["lease"] == lease
    ViewServer.stop(pid)
    pid = start!(Browser, params, id: "phx-todo")
    assert %{recover_status: :recovered, draft: "kept alive"} = item(pid, "a")
  end

  test "an unchanged component state is not written again" do
    pid = fresh(Browser)
    type(pid, "a", "same")
    count = length(ViewServer.payloads(pid, @stash))
    type(pid, "a", "same")
    assert length(ViewServer.payloads(pid, @stash)) == count
  end

  test "each component write carries the parent's last stashed assigns" do
    pid = fresh(Browser)
    :ok = ViewServer.update(pid, {ComponentView, :put_items, [["b", "a"]]})
    # Unstashed parent change: a component write must not stash it.
    :ok = ViewServer.update(pid, {ComponentView, :set_items, [["a"]]})
    type(pid, "a", "x")

    pid = reconnect(pid, Browser)
    assert %{recover_status: :recovered, items: ["b", "a"]} = ViewServer.assigns(pid)
    assert %{draft: "x"} = item(pid, "a")
  end

  test "auto_stash stashes after handle_event and update/2, and the newest token wins" do
    pid = fresh(Auto)
    :ok = ViewServer.component_event(pid, AutoItem, "a", "type", %{"draft" => "auto"})

    # One parent event that stashes the parent and re-renders the items, which stash from
    # update/2: the token the browser keeps last must hold both.
    :ok =
      ViewServer.update(pid, fn socket ->
        socket |> ComponentView.set_title("new title") |> ComponentView.put_items(["b", "a"])
      end)

    pid = reconnect(pid, Auto)
    assert %{recover_status: :recovered, items: ["b", "a"]} = ViewServer.assigns(pid)

    assert %{recover_status: :recovered, draft: "auto", seen_title: "new title"} =
             item(pid, "a", AutoItem)
  end

  test "past #{LiveStash.Component.Registry.max_components()} components, new ones are not stashed and a warning says so" do
    max = LiveStash.Component.Registry.max_components()
    ids = for n <- 1..(max + 1), do: "item-#{n}"
    pid = fresh(Server)
    :ok = ViewServer.update(pid, {ComponentView, :put_items, [ids]})
    for id <- Enum.take(ids, max), do: type(pid, id, "kept #{id}")

    last = List.last(ids)
    log = capture_log(fn -> type(pid, last, "over the bound") end)
    assert log =~ "at most #{max} components"
    assert log =~ inspect(last)

    pid = reconnect(pid, Server)
    assert %{recover_status: :recovered, draft: "kept item-1"} = item(pid, "item-1")
    assert %{recover_status: :not_found, draft: ""} = item(pid, last)
  end

  test "a parent without `use LiveStash` fails at mount, saying what to add" do
    Process.flag(:trap_exit, true)

    assert {:error, {%ArgumentError{message: message}, _}} =
             ViewServer.start(LiveStash.Test.NoStashView, params: Client.fresh_params())

    assert message =~ "LiveStash.Test.Item uses LiveStash.Component"
    assert message =~ "add `use LiveStash, stored_keys: [...]` to LiveStash.Test.NoStashView"
  end

  test "the dead render of such a parent does not raise: there is nothing to recover yet" do
    pid = start!(LiveStash.Test.NoStashView, nil)
    assert %{recover_status: :new} = item(pid, "a")
  end

  test "a component without `use LiveStash.Component` gets a clear error" do
    Process.flag(:trap_exit, true)

    view =
      Define.view!(
        Module.concat(__MODULE__, Bare),
        [item_module: LiveStash.Test.Unprepared, stored_keys: [:items]],
        ComponentView
      )

    assert {:error, {%ArgumentError{message: message}, _}} =
             ViewServer.start(view, params: Client.fresh_params())

    assert message =~ "use LiveStash.Component, stored_keys: [...]"
  end

  test "on the disconnected render, components recover :new and stash nothing" do
    pid = start!(Browser, nil)
    assert %{recover_status: :new} = item(pid, "a")
    type(pid, "a", "dead render")
    assert ViewServer.events(pid) == []
  end

  test "option errors point at the parent for stash-wide settings" do
    assert_raise ArgumentError, ~r/set :ttl on the parent's `use LiveStash`/, fn ->
      LiveStash.Component.Options.validate!(stored_keys: [:a], ttl: 5)
    end

    # components' auto stashes go with the parent's
    assert_raise ArgumentError, ~r/set :auto_stash_interval on the parent's/, fn ->
      LiveStash.Component.Options.validate!(stored_keys: [:a], auto_stash_interval: 0)
    end

    assert_raise ArgumentError, ~r/needs :stored_keys/, fn ->
      LiveStash.Component.Options.validate!(auto_stash: true)
    end

    assert_raise ArgumentError, ~r/unknown option :bogus/, fn ->
      LiveStash.Component.Options.validate!(stored_keys: [:a], bogus: 1)
    end
  end

  test "the harness builds a component socket as LiveView does: parent's id, own private" do
    pid = fresh(Server)
    socket = LiveStash.Test.Components.socket(:sys.get_state(pid).components, {Item, "a"})
    assert %{id: "phx-todo", view: Server, endpoint: LiveStash.Test.Endpoint} = socket
    assert Phoenix.LiveView.connected?(socket)
    refute Map.has_key?(socket.private, :live_stash)
    assert %Phoenix.LiveComponent.CID{} = socket.assigns.myself
  end
end
