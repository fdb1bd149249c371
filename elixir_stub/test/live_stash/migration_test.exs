defmodule LiveStash.MigrationTest.Callback do
  @moduledoc false
  # A counter view that migrates with a `migrate_stash/2` callback instead of the option.
  defmacro __using__(live_stash_opts) do
    quote do
      use LiveStash.Test.View, unquote(live_stash_opts)
      def migrate_stash(from, assigns), do: LiveStash.Test.Migrations.to_v2(from, assigns)
    end
  end
end

defmodule LiveStash.MigrationTest.Note do
  @moduledoc false
  # A component whose stored shape changed with the parent's version 2: upper-case drafts.
  use Phoenix.LiveComponent
  use LiveStash.Component, stored_keys: [:draft]

  def mount(socket), do: {:ok, assign(socket, :draft, "")}

  def update(assigns, socket) do
    {status, socket} = socket |> assign(assigns) |> LiveStash.recover_state()
    {:ok, assign(socket, :recover_status, status)}
  end

  def handle_event("type", %{"draft" => draft}, socket),
    do: {:noreply, socket |> assign(:draft, draft) |> LiveStash.stash()}

  def migrate_stash(1, %{draft: draft}), do: %{draft: String.upcase(draft)}
end

defmodule LiveStash.MigrationTest do
  @moduledoc """
  Issue 22: `version:` with `migrate:` (or a `migrate_stash/2` callback) converts a stash
  of another version on every built-in adapter, recovers it (`:recovered`) and writes it
  back under the new version at once; a migration that fails is `:not_found` with one
  warning naming the view and the versions. Rolling deploys: migration_cluster_test.exs.
  """
  use ExUnit.Case, async: false

  @moduletag :capture_log

  import LiveStash.Test.ComponentFlow, only: [type: 4, item: 3]
  import LiveStash.Test.Flow
  import LiveStash.Test.RedisCase, only: [start_redis!: 0]

  alias LiveStash.Adapters.{BrowserMemory, ETS, Mnesia, Redis}
  alias LiveStash.MigrationTest.{Callback, Note}
  alias LiveStash.Test.{ComponentView, Define, Item, Migrations, ViewServer, Writers}

  setup_all do
    start_redis!()
    :ok
  end

  @adapters [
    {"ETS", [adapter: ETS], []},
    {"Mnesia", [adapter: Mnesia], []},
    {"Redis", [adapter: Redis], []},
    {"BrowserMemory whole", [adapter: BrowserMemory, security_mode: :encrypt], [official: true]},
    {"BrowserMemory keyed", [adapter: BrowserMemory, security_mode: :sign], []}
  ]

  defp v1(adapter), do: adapter ++ [stored_keys: [:count], version: 1]
  defp v2(adapter, extra \\ []), do: adapter ++ [stored_keys: [:count], version: 2] ++ extra

  # The stash of `view` as version 1 left with count 3, and the view redeployed as `opts`.
  defp deploy(view, adapter, client, opts, template \\ LiveStash.Test.View) do
    Define.view!(view, v1(adapter))
    pid = stashed_view(view, 3, client)
    :ok = Writers.settle()
    Define.view!(view, opts, template)
    pid
  end

  defp again(pid, view, client) do
    :ok = Writers.settle()
    reconnect(pid, view, client)
  end

  for {name, adapter, client} <- @adapters do
    describe name do
      @adapter adapter
      @client client

      test "migrate recovers the migrated state and writes it back under the new version" do
        view = Module.concat(__MODULE__, "Migrated#{System.unique_integer([:positive])}")
        pid = deploy(view, @adapter, @client, v2(@adapter, migrate: &Migrations.to_v2/2))

        {pid, log} = with_warnings(fn -> reconnect(pid, view, @client) end)
        assert %{recover_status: :recovered, count: 103} = ViewServer.assigns(pid)
        refute log =~ "[warning]"

        # Written back as version 2: a build with no migrate at all recovers it as is.
        Define.view!(view, v2(@adapter))
        pid = again(pid, view, @client)
        assert %{recover_status: :recovered, count: 103} = ViewServer.assigns(pid)
      end

      test "a migrate_stash/2 callback in the view migrates without the option" do
        view = Module.concat(__MODULE__, "Callback#{System.unique_integer([:positive])}")
        pid = deploy(view, @adapter, @client, v2(@adapter), Callback)
        pid = reconnect(pid, view, @client)
        assert %{recover_status: :recovered, count: 103} = ViewServer.assigns(pid)
      end

      test "a migrate that errs or raises is :not_found with one warning naming the versions" do
        for migrate <- [&Migrations.failing/2, &Migrations.raising/2] do
          view = Module.concat(__MODULE__, "Failing#{System.unique_integer([:positive])}")
          pid = deploy(view, @adapter, @client, v2(@adapter, migrate: migrate))

          {pid, log} = with_warnings(fn -> reconnect(pid, view, @client) end)
          assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
          assert warned_once?(log, pid, view, "from version 1 to 2")
          assert log =~ ":migration_failed"
          assert Process.alive?(pid)

          # The view goes on stashing as version 2.
          :ok = ViewServer.update(pid, {LiveStash.Test.View, :put_count, [4]})
          pid = again(pid, view, @client)
          assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(pid)
        end
      end

      test "without migrate a version change stays :error, as before" do
        view = Module.concat(__MODULE__, "Plain#{System.unique_integer([:positive])}")
        pid = deploy(view, @adapter, @client, v2(@adapter))
        pid = reconnect(pid, view, @client)
        assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
      end
    end
  end

  describe "components (in the parent's browser stash)" do
    defp todo(version, item, extra \\ []) do
      [
        adapter: BrowserMemory,
        security_mode: :sign,
        stored_keys: [:items],
        version: version,
        item_module: item
      ] ++ extra
    end

    test "a component's migrate_stash/2 migrates its state; one without keeps it as it was" do
      for {item, typed, recovered} <- [{Note, "milk", "MILK"}, {Item, "milk", "milk"}] do
        view = Module.concat(__MODULE__, "Todo#{System.unique_integer([:positive])}")
        Define.view!(view, todo(1, item), ComponentView)
        pid = start!(view, LiveStash.Test.Client.fresh_params(), id: "phx-todo")
        type(pid, "a", typed, item)
        :ok = ViewServer.update(pid, {ComponentView, :put_items, [["a", "b"]]})

        Define.view!(view, todo(2, item, migrate: &Migrations.keep/2), ComponentView)
        pid = LiveStash.Test.ComponentFlow.reconnect(pid, view)
        assert %{recover_status: :recovered, items: ["a", "b"]} = ViewServer.assigns(pid)
        assert %{recover_status: :recovered, draft: ^recovered} = item(pid, "a", item)

        # Written back under version 2 with the migrated component state.
        Define.view!(view, todo(2, item), ComponentView)
        pid = LiveStash.Test.ComponentFlow.reconnect(pid, view)
        assert %{recover_status: :recovered, draft: ^recovered} = item(pid, "a", item)
      end
    end
  end
end
