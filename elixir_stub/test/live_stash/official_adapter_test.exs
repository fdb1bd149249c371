defmodule LiveStash.OfficialAdapterTest.Template do
  @moduledoc false
  # A LiveView as the official README writes one: defaults first, then recover.
  defmacro __using__(live_stash_opts) do
    quote do
      use Phoenix.LiveView
      use LiveStash, unquote(live_stash_opts)

      def mount(_params, _session, socket) do
        socket = Phoenix.Component.assign(socket, count: 0, theme: "light", draft: "")
        {status, socket} = LiveStash.recover_state(socket)
        {:ok, Phoenix.Component.assign(socket, :recover_status, status)}
      end
    end
  end
end

defmodule LiveStash.OfficialAdapterTest do
  @moduledoc """
  Issue 22: adapters written to the official `LiveStash.Adapter` behaviour run unchanged
  through `use LiveStash`, `stash/1`, `recover_state/1` and `reset_stash/1`, and get the
  statuses the official core would hand back (the adapter's own). The Agent store is the
  example in `LiveStash.Adapter`'s docs, compiled from them; the others were written from
  the official documentation alone (`LiveStash.Test.OfficialAdapters`).
  """
  use ExUnit.Case, async: false

  # A raising adapter warns on every mount, by design; shown only on failure.
  @moduletag :capture_log

  import ExUnit.CaptureLog
  import LiveStash.Test.Flow, only: [start!: 2, start!: 3, rejoin: 4]

  alias LiveStash.OfficialAdapterTest.Template
  alias LiveStash.Test.{Client, Define, View, ViewServer}
  alias LiveStash.Test.OfficialAdapters.{Raising, Scoped}

  # The example adapter of LiveStash.Adapter's moduledoc, compiled in setup_all.
  @documented MyApp.SessionStash
  @counter __MODULE__.Counter
  @auto __MODULE__.Auto
  @coalesced __MODULE__.Coalesced
  @scoped __MODULE__.Scoped
  @raising __MODULE__.Raising

  @scoped_opts [
    adapter: Scoped,
    stored_keys: [theme: :session, draft: :reconnect],
    vsn: 2,
    on_invalid_value: :log
  ]

  setup_all do
    assert [{@documented, _}] = Code.compile_string(example(:moduledoc))

    previous = Application.get_all_env(:live_stash)
    adapters = List.wrap(previous[:adapters]) ++ [@documented, Raising, Scoped]
    restart_app!(Keyword.put(previous, :adapters, adapters))

    on_exit(fn ->
      for {key, _} <- Application.get_all_env(:live_stash),
          do: Application.delete_env(:live_stash, key)

      restart_app!(previous)
    end)

    Define.view!(@counter, [adapter: @documented, stored_keys: [:count]], Template)
    auto = [adapter: @documented, stored_keys: [:count], auto_stash: true]
    Define.view!(@auto, auto ++ [auto_stash_interval: 0], Template)
    Define.view!(@coalesced, auto ++ [auto_stash_interval: 30], Template)
    Define.view!(@scoped, @scoped_opts, Template)
    Define.view!(@raising, [adapter: Raising, stored_keys: [:count]], Template)
    :ok
  end

  defp restart_app!(env) do
    capture_log(fn ->
      :ok = Application.stop(:live_stash)
      Application.put_all_env(live_stash: env)
      {:ok, _} = Application.ensure_all_started(:live_stash)
    end)
  end

  # The complete example adapter of LiveStash.Adapter's moduledoc, or of the guide.
  defp example(:moduledoc) do
    {:docs_v1, _, _, _, %{"en" => moduledoc}, _, _} = Code.fetch_docs(LiveStash.Adapter)
    [_, code] = String.split(moduledoc, "walk through it):\n\n")
    code
  end

  defp example(:guide) do
    guide = File.read!(Path.expand("../../guides/custom-adapters.md", __DIR__))
    [_, after_heading] = String.split(guide, "## A complete adapter")
    [_, code, _] = String.split(after_heading, ~r/^```(elixir)?$/m, parts: 3)
    code
  end

  defp user(name), do: [session: %{"user_token" => name}]
  defp stored(user, view), do: Agent.get(@documented, &Map.get(&1, {user, view}))
  defp reconnect_params, do: %{"_mounts" => 1}
  defp count(pid, count), do: :ok = ViewServer.update(pid, {View, :put_count, [count]})

  test "each adapter's child_spec/1 is started from config with [], as the official app does" do
    assert Process.whereis(@documented)
    assert :ets.lookup(Scoped, :started_with) == [started_with: []]
    # Only the adapters with a child_spec/1 are children.
    assert LiveStash.Application.adapter_children([Raising, Scoped, @documented]) ==
             [Scoped, @documented]
  end

  test "mount, stash, reconnect, reset and crash give the adapter's own statuses" do
    pid = start!(@counter, Client.fresh_params(), user("ann"))
    assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)

    :ok = count(pid, 7)
    assert stored("ann", @counter) == %{count: 7}

    pid = rejoin(pid, @counter, reconnect_params(), user("ann"))
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)

    # The LiveView crashes; its rejoin still finds the stash.
    Process.unlink(pid)
    Process.exit(pid, :kill)
    pid = start!(@counter, reconnect_params(), user("ann"))
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)

    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    pid = rejoin(pid, @counter, reconnect_params(), user("ann"))
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
    ViewServer.stop(pid)
  end

  test "the disconnected render calls the adapter too (init_stash, then recover_state)" do
    socket = ViewServer.socket(start!(@counter, nil, user("bob")))
    assert socket.assigns.recover_status == :new
    assert %{keys: [:count]} = socket.private[@documented]
    assert socket.private[:live_stash_adapter] == @documented
  end

  test "init_stash/3 gets every option but :adapter, keyword stored_keys and unknown ones included" do
    pid = start!(@scoped, Client.fresh_params(), session: %{"sid" => "s1"})

    assert ViewServer.socket(pid).private[:received_opts] ==
             Keyword.delete(@scoped_opts, :adapter)
  end

  test "a keyword stored_keys adapter applies its scopes: :session on every mount, :reconnect on a rejoin" do
    session = [session: %{"sid" => "s2"}]
    pid = start!(@scoped, Client.fresh_params(), session)
    set = &(&1 |> Phoenix.Component.assign(theme: "dark", draft: "hi") |> LiveStash.stash())
    :ok = ViewServer.update(pid, set)
    assert Scoped.stored({Scoped, "s2"}) == {2, %{theme: "dark", draft: "hi"}}

    pid = rejoin(pid, @scoped, reconnect_params(), session)
    assert %{recover_status: :recovered, theme: "dark", draft: "hi"} = ViewServer.assigns(pid)
    ViewServer.stop(pid)

    # A new page of the same session: the theme follows, the draft does not.
    pid = start!(@scoped, Client.fresh_params(), session)
    assert %{recover_status: :recovered, theme: "dark", draft: ""} = ViewServer.assigns(pid)
  end

  test "auto_stash stashes through the adapter after a render that changed a stored assign" do
    pid = start!(@auto, Client.fresh_params(), user("cy"))
    :ok = ViewServer.update(pid, {View, :set_count, [4]})
    assert stored("cy", @auto) == %{count: 4}

    pid = start!(@coalesced, Client.fresh_params(), user("cy"))
    :ok = ViewServer.update(pid, {View, :set_count, [5]})
    assert stored("cy", @coalesced) == nil
    Process.sleep(80)
    assert stored("cy", @coalesced) == %{count: 5}

    pid = rejoin(pid, @coalesced, reconnect_params(), user("cy"))
    assert %{recover_status: :recovered, count: 5} = ViewServer.assigns(pid)
  end

  describe "an adapter that raises" do
    test "stash and reset log one warning each and the LiveView lives on" do
      pid = start!(@raising, Client.fresh_params())

      log = capture_log(fn -> :ok = count(pid, 3) end)
      assert Process.alive?(pid)
      assert %{count: 3} = ViewServer.assigns(pid)
      assert log =~ "LiveStash could not stash #{inspect(@raising)}"
      assert log =~ "the store is down"
      assert length(String.split(log, "[warning]")) == 2

      log = capture_log(fn -> :ok = ViewServer.update(pid, &LiveStash.reset_stash/1) end)
      assert Process.alive?(pid)
      assert log =~ "could not reset the stash of #{inspect(@raising)}"
    end

    test "recover_state is :error (the official status for a failed adapter), with one warning" do
      {pid, log} = with_log(fn -> start!(@raising, reconnect_params()) end)
      assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
      assert log =~ "LiveStash did not recover the stash of #{inspect(@raising)}"
      assert log =~ ":store_down"
      assert length(String.split(log, "[warning]")) == 2
    end

    test "init_stash/3 refusing its options fails the mount, as in the official core" do
      view =
        Define.view!(
          __MODULE__.FailInit,
          [adapter: Raising, stored_keys: [:count], fail_init: true],
          Template
        )

      Process.flag(:trap_exit, true)

      capture_log(fn ->
        assert {:error, {%ArgumentError{message: "Unknown attribute passed: :fail_init"}, _}} =
                 ViewServer.start(view, params: Client.fresh_params())
      end)
    end
  end

  test "an adapter missing from config :live_stash, adapters is refused, as in the official core" do
    defmodule Unlisted do
      @behaviour LiveStash.Adapter
      def init_stash(socket, _session, _opts), do: socket
      def stash(socket), do: socket
      def recover_state(socket), do: {:new, socket}
      def reset_stash(socket), do: socket
    end

    assert_raise ArgumentError, ~r/adapter .*Unlisted is not active/, fn ->
      LiveStash.Options.validate!(adapter: Unlisted, stored_keys: [:count])
    end

    assert_raise ArgumentError, ~r/needs :stored_keys/, fn ->
      LiveStash.Options.validate!(adapter: Scoped)
    end
  end

  test "the complete example adapter of the custom adapters guide works as written" do
    adapter = MyApp.GuideSessionStash
    code = String.replace(example(:guide), "MyApp.SessionStash", inspect(adapter))
    assert [{^adapter, _}] = Code.compile_string(code)
    adapters = Application.get_env(:live_stash, :adapters)
    Application.put_env(:live_stash, :adapters, adapters ++ [adapter])
    start_supervised!(adapter)

    view = Module.concat(adapter, Live)
    Define.view!(view, [adapter: adapter, stored_keys: [:count]], Template)

    pid = start!(view, Client.fresh_params(), user("dee"))
    assert %{recover_status: :new} = ViewServer.assigns(pid)
    :ok = count(pid, 12)
    pid = rejoin(pid, view, reconnect_params(), user("dee"))
    assert %{recover_status: :recovered, count: 12} = ViewServer.assigns(pid)
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    pid = rejoin(pid, view, reconnect_params(), user("dee"))
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
  end
end
