defmodule LiveStash.Doubles.ComponentsTest do
  @moduledoc """
  Keeps the component harness honest about what LiveView does (Phoenix.LiveView.Diff and
  the channel): mount/1 once per instance, update/2 on every parent render, removal only
  once the browser's cids_destroyed arrives, send_update a no-op for a gone component
  (and an error for a module that is not loaded at all).
  """
  use ExUnit.Case, async: true

  import ExUnit.CaptureLog

  alias LiveStash.Test.{Client, ViewServer}

  defmodule Counted do
    use Phoenix.LiveComponent

    def mount(socket) do
      if notify = Process.get(:notify), do: send(notify, {:mounted, socket.assigns.myself})
      {:ok, socket |> assign(:mounts, 1) |> assign(:updates, 0)}
    end

    def update(assigns, socket) do
      socket = assign(socket, assigns)
      if notify = assigns[:notify], do: send(notify, {:updated, socket.assigns.id})
      {:ok, assign(socket, :updates, socket.assigns.updates + 1)}
    end

    def render(assigns) do
      if notify = assigns[:notify], do: send(notify, {:rendered, assigns.id})
      ""
    end
  end

  defmodule Host do
    use Phoenix.LiveView

    def mount(_params, session, socket) do
      notify = session["notify"]
      # A component's mount/1 gets no assigns from the parent: tell it through the process.
      Process.put(:notify, notify)

      socket =
        attach_hook(socket, :probe, :after_render, fn socket ->
          if notify, do: send(notify, :parent_after_render)
          socket
        end)

      {:ok, socket |> assign(:ids, ["a"]) |> assign(:notify, notify)}
    end

    def components(assigns),
      do: for(id <- assigns.ids, do: {Counted, id, %{notify: assigns.notify}})
  end

  defp next_message do
    receive do
      message -> message
    after
      1_000 -> :none
    end
  end

  test "each component mounts, updates and renders before the parent's after_render hooks" do
    {:ok, _pid} =
      ViewServer.start(Host, params: Client.fresh_params(), session: %{"notify" => self()})

    cid = %Phoenix.LiveComponent.CID{cid: 1}

    assert [{:mounted, ^cid}, {:updated, "a"}, {:rendered, "a"}, :parent_after_render] =
             for(_ <- 1..4, do: next_message())
  end

  test "mount once, update on each parent render, gone only after cids_destroyed" do
    {:ok, pid} = ViewServer.start(Host, params: Client.fresh_params())
    assert %{mounts: 1, updates: 1, id: "a"} = ViewServer.component(pid, Counted, "a")

    :ok = ViewServer.update(pid, &Phoenix.Component.assign(&1, :ids, ["a", "b"]))
    assert %{mounts: 1, updates: 2} = ViewServer.component(pid, Counted, "a")

    # Removed by the render; a send_update queued before the browser answers still lands.
    test = self()

    :ok =
      ViewServer.update(pid, fn socket ->
        Phoenix.LiveView.send_update(Counted, id: "a", notify: test)
        Phoenix.Component.assign(socket, :ids, ["b"])
      end)

    assert_receive {:updated, "a"}
    assert ViewServer.component(pid, Counted, "a") == nil

    log =
      capture_log(fn ->
        Phoenix.LiveView.send_update(pid, Counted, id: "a", notify: test)
        assert ViewServer.component(pid, Counted, "b")
      end)

    refute_received {:updated, "a"}
    assert log =~ "send_update failed"
  end

  test "send_update to a module that is not available raises, as the channel does" do
    assert_raise ArgumentError, ~r/not available/, fn ->
      LiveStash.Test.Components.send_update(
        %LiveStash.Test.Components{},
        {LiveStash.Test.NeverDefined, "a"},
        %{id: "a"}
      )
    end
  end
end
