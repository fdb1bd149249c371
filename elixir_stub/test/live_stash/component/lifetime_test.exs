defmodule LiveStash.Component.LifetimeTest do
  @moduledoc """
  A component instance that starts fresh, or was removed, never receives an older
  instance's state, whatever the order of remove, add, stash and reconnect (rules C1 and
  C2 in `LiveStash.Component`). Every order runs on a server adapter (ETS) and in the
  browser (BrowserMemory).

  Removal is played as LiveView does it: the render that drops an item leaves the
  component alive (it still answers `send_update`) until the browser's `cids_destroyed`
  arrives, a round trip later. `put_items` is a parent event that stashes; `set_items`
  one that does not.
  """
  use ExUnit.Case, async: true

  import ExUnit.CaptureLog
  import LiveStash.Test.ComponentFlow

  alias LiveStash.Test.{ComponentView, ViewServer}

  alias LiveStash.Test.BrowserTodo, as: Browser
  alias LiveStash.Test.ServerTodo, as: Server

  # No items on the first render: they arrive later (as after assign_async).
  defmodule LazyBrowser do
    use LiveStash.Test.ComponentView,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:items],
      initial_items: []
  end

  defmodule LazyServer do
    use LiveStash.Test.ComponentView, stored_keys: [:items], initial_items: []
  end

  # The items come from the session (database rows), not from the stash.
  defmodule ListedBrowser do
    use LiveStash.Test.ComponentView,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :encrypt,
      stored_keys: [:title],
      items_from_session: true
  end

  defmodule ListedServer do
    use LiveStash.Test.ComponentView, stored_keys: [:title], items_from_session: true
  end

  defp put_items(pid, ids), do: :ok = ViewServer.update(pid, {ComponentView, :put_items, [ids]})
  defp set_items(pid, ids), do: :ok = ViewServer.update(pid, {ComponentView, :set_items, [ids]})

  defp rows(ids), do: [session: %{"items" => ids}]

  # A first visit whose item "b" stashed "5".
  defp typed_b(view, opts \\ []) do
    pid = fresh(view, opts)
    type(pid, "b", "5")
    pid
  end

  defp assert_fresh_b(pid, status),
    do: assert(%{recover_status: ^status, draft: ""} = item(pid, "b"))

  for {view, lazy, listed} <- [
        {Browser, LazyBrowser, ListedBrowser},
        {Server, LazyServer, ListedServer}
      ] do
    describe "#{inspect(view)}" do
      test "removed, reconnected before the parent stashes again, added back: starts fresh" do
        pid = typed_b(unquote(view))
        # The parent's stash runs while LiveView still has "b" (the browser confirms the
        # removal later), so that record still holds it.
        put_items(pid, ["a"])

        pid = reconnect(pid, unquote(view))
        assert item(pid, "b") == nil
        put_items(pid, ["a", "b"])
        assert_fresh_b(pid, :not_found)

        pid = reconnect(pid, unquote(view))
        assert_fresh_b(pid, :not_found)
      end

      test "removed, reconnected twice, added back: starts fresh" do
        pid = typed_b(unquote(view))
        put_items(pid, ["a"])

        pid = reconnect(pid, unquote(view))
        pid = reconnect(pid, unquote(view))
        set_items(pid, ["a", "b"])
        assert_fresh_b(pid, :not_found)
      end

      test "removed, reconnected, another component stashes, reconnected, added back: starts fresh" do
        pid = typed_b(unquote(view))
        put_items(pid, ["a"])

        pid = reconnect(pid, unquote(view))
        type(pid, "a", "x")
        pid = reconnect(pid, unquote(view))
        set_items(pid, ["a", "b"])
        assert_fresh_b(pid, :not_found)
        assert %{recover_status: :recovered, draft: "x"} = item(pid, "a")
      end

      test "removed and added back without a stash, then reconnected: stays fresh" do
        pid = typed_b(unquote(view))
        set_items(pid, ["a"])
        set_items(pid, ["a", "b"])
        assert_fresh_b(pid, :new)

        pid = reconnect(pid, unquote(view))
        assert_fresh_b(pid, :not_found)

        # Later stashes and reconnects do not bring the old state back either.
        type(pid, "a", "later")
        pid = reconnect(pid, unquote(view))
        assert_fresh_b(pid, :not_found)
        assert %{recover_status: :recovered, draft: "later"} = item(pid, "a")
      end

      test "removed and added back by parent stashes, then reconnected twice: stays fresh" do
        pid = typed_b(unquote(view))
        put_items(pid, ["a"])
        put_items(pid, ["a", "b"])
        assert_fresh_b(pid, :new)

        pid = reconnect(pid, unquote(view))
        assert_fresh_b(pid, :not_found)
        put_items(pid, ["b", "a"])
        pid = reconnect(pid, unquote(view))
        assert_fresh_b(pid, :not_found)
      end

      test "after a recovery, removed and added back, then reconnected: stays fresh" do
        pid = typed_b(unquote(view))
        pid = reconnect(pid, unquote(view))
        assert %{recover_status: :recovered, draft: "5"} = item(pid, "b")

        set_items(pid, ["a"])
        set_items(pid, ["a", "b"])
        assert_fresh_b(pid, :new)

        pid = reconnect(pid, unquote(view))
        assert_fresh_b(pid, :not_found)
      end

      test "added back and edited: the new instance's state is the one that comes back" do
        pid = typed_b(unquote(view))
        put_items(pid, ["a"])
        put_items(pid, ["a", "b"])
        type(pid, "b", "7")

        pid = reconnect(pid, unquote(view))
        assert %{recover_status: :recovered, draft: "7"} = item(pid, "b")
        pid = reconnect(pid, unquote(view))
        assert %{recover_status: :recovered, draft: "7"} = item(pid, "b")
      end

      test "gone from the first render after a reconnect, back in a later one: the old state is gone for good" do
        pid = typed_b(unquote(listed), rows(["a", "b"]))

        # Row "b" is deleted while the socket is down, and comes back before the next one.
        {pid, log} = with_log(fn -> reconnect(pid, unquote(listed), rows(["a"])) end)
        assert item(pid, "b") == nil

        assert log =~
                 ~s(LiveStash dropped the stashed state of component LiveStash.Test.Item with id "b")

        assert log =~ "not rendered by the first connected render"
        pid = reconnect(pid, unquote(listed), rows(["a", "b"]))
        assert_fresh_b(pid, :not_found)
      end

      test "a component still on the first render after a reconnect recovers" do
        pid = typed_b(unquote(listed), rows(["a", "b"]))
        pid = reconnect(pid, unquote(listed), rows(["b"]))
        assert %{recover_status: :recovered, draft: "5"} = item(pid, "b")
      end

      test "a component rendered after the first render (loaded later) starts fresh" do
        pid = fresh(unquote(lazy))
        set_items(pid, ["a"])
        type(pid, "a", "lazy")

        pid = reconnect(pid, unquote(lazy))
        assert item(pid, "a") == nil
        set_items(pid, ["a"])
        assert %{recover_status: :not_found, draft: ""} = item(pid, "a")

        pid = reconnect(pid, unquote(lazy))
        set_items(pid, ["a"])
        assert %{recover_status: :not_found, draft: ""} = item(pid, "a")
      end
    end
  end
end
