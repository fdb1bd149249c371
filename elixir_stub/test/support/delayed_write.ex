defmodule LiveStash.Test.DelayedWrite do
  @moduledoc """
  A write held up on one node while the client moves on to another: the case only a
  store that compares generations survives. Node A's writer stalls (suspended) holding
  2; the client reconnects on B, recovers 1 and stashes 3; A's writer resumes. On a store
  that writes blindly, A's 2 then lands over 3.
  """

  import ExUnit.Assertions

  alias LiveStash.Test.{Client, ClusterCases, View, ViewServer, Writers}

  @page "phx-F8cluster-page"

  @doc """
  Plays the case with `view` (its adapter writes through `writer`) on nodes `a`, `b`,
  `c`; returns what a reconnect on C recovers afterwards: `{status, count}`.
  """
  def play(view, writer, a, b, c) do
    {:ok, pid} =
      :erpc.call(a, ViewServer, :start, [view, [params: Client.fresh_params(), id: @page]])

    :ok = ViewServer.update(pid, {View, :put_count, [1]})
    :ok = Writers.settle_on(a)

    stalled = :erpc.call(a, Process, :whereis, [writer])
    :ok = :erpc.call(a, :sys, :suspend, [stalled])

    try do
      :ok = ViewServer.update(pid, {View, :put_count, [2]})
      params = Client.join_params(ViewServer.events(pid))
      ViewServer.stop(pid)

      assert {:recovered, 1, params} = ClusterCases.visit(view, b, params, 3)
      send(self(), {:params, params})
    after
      :ok = :erpc.call(a, :sys, :resume, [stalled])
    end

    :ok = Writers.settle_on(a)
    assert_received {:params, params}
    {status, count, _} = ClusterCases.visit(view, c, params, nil)
    {status, count}
  end
end
