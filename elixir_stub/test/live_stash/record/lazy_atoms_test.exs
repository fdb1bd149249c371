defmodule LiveStash.Record.LazyAtomsTest do
  @moduledoc """
  A stash written on a node where a module was loaded, recovered after a restart on a
  node that has only that module's beam on disk, never loaded: its module name and the
  atoms it holds do not exist there yet (dev loads code lazily). A verified token or a
  Redis row whose MAC verified must recover it, with every adapter that keeps records
  as binaries (ETS and Mnesia keep terms, which carry their atoms with them).

  The writing node is a `:peer`, stopped (as kill -9 would) before the recovery here.
  """
  use ExUnit.Case, async: false

  import LiveStash.Test.RedisCase

  alias LiveStash.Test.{Define, LazyModule, Peers, ViewServer}
  alias LiveStash.Test.BrowserCounter, as: Encrypted
  alias LiveStash.Test.SignedBrowserCounter, as: Signed

  @redis_view LiveStash.Record.LazyAtomsTest.RedisCounter
  @redis_opts [adapter: LiveStash.Adapters.Redis, stored_keys: [:count]]

  setup_all do
    context = start_redis!()
    Define.view!(@redis_view, @redis_opts)
    context
  end

  setup do
    dir = Path.join(System.tmp_dir!(), "live_stash_lazy_#{System.unique_integer([:positive])}")
    File.mkdir_p!(dir)
    on_exit(fn -> File.rm_rf!(dir) end)

    n = System.unique_integer([:positive])
    %{dir: dir, name: "LiveStash.LazyAtoms#{n}", status: "lazy_status_#{n}"}
  end

  for view <- [Signed, Encrypted, @redis_view] do
    test "#{inspect(view)}: a stash naming a module this node never loaded recovers", ctx do
      %{dir: dir, name: name, status: status} = ctx
      view = unquote(view)

      {peer, node} = Peers.start!()

      params =
        try do
          if view == @redis_view do
            :erpc.call(node, Define, :view!, [view, @redis_opts])
            :ok = :erpc.call(node, LiveStash.Test.RedisCase, :wait_connected!, [])
          end

          :ok = :erpc.call(node, LazyModule, :compile, [name, status, dir])
          :erpc.call(node, LazyModule, :stash_value, [view, "phx-F1azy-page", name])
        after
          Peers.stop(peer)
        end

      # The restarted node: the beam is on its code path, not loaded; its atoms are new.
      true = Code.append_path(dir)
      on_exit(fn -> Code.delete_path(dir) end)

      for atom <- ["Elixir." <> name, status] do
        assert_raise ArgumentError, fn -> String.to_existing_atom(atom) end
      end

      pid = ViewServer.start(view, params: params, id: "phx-F1azy-page") |> elem(1)
      assert %{recover_status: :recovered, count: value} = ViewServer.assigns(pid)

      module = String.to_existing_atom("Elixir." <> name)
      assert %{__struct__: ^module, status: status_atom} = value
      assert Atom.to_string(status_atom) == status
      refute :code.is_loaded(module)

      # The recovered struct is the module's own, once the app's code calls it.
      assert Code.ensure_loaded?(module) and module.value() == value
    end
  end
end
