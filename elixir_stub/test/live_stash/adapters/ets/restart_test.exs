defmodule LiveStash.Adapters.ETS.RestartTest do
  @moduledoc "The ETS table restarting under a live view (not async: it stops the shared table)."
  use ExUnit.Case, async: false

  import LiveStash.Test.Flow

  alias LiveStash.Adapters.ETS.Table
  alias LiveStash.Test.{View, ViewServer}

  defmodule Counter do
    use LiveStash.Test.View, stored_keys: [:count]
  end

  test "a keep-alive while the table is gone leaves the view alive; it stashes again after" do
    pid = stashed_view(Counter, 3)
    :ok = Supervisor.terminate_child(LiveStash.Supervisor, Table)

    try do
      beat(pid)
      # a call answered after the beat: the view handled it and lives
      assert %{count: 3} = ViewServer.assigns(pid)
    after
      {:ok, _} = Supervisor.restart_child(LiveStash.Supervisor, Table)
    end

    :ok = ViewServer.update(pid, {View, :put_count, [4]})
    assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(reconnect(pid, Counter))
  end

  @tag :capture_log
  test "a stash that could not be written is written by the next stash, even unchanged" do
    pid = stashed_view(Counter, 3)
    :ok = Supervisor.terminate_child(LiveStash.Supervisor, Table)

    try do
      :ok = ViewServer.update(pid, {View, :put_count, [4]})
      assert %{count: 4} = ViewServer.assigns(pid)
    after
      {:ok, _} = Supervisor.restart_child(LiveStash.Supervisor, Table)
    end

    :ok = ViewServer.update(pid, &LiveStash.stash/1)
    assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(reconnect(pid, Counter))
  end
end
