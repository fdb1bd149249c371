defmodule LiveStash.Test.Shutdown do
  @moduledoc """
  A node's graceful shutdown as the flush-on-shutdown cases play it: a LiveView on a peer
  with a write pending (`auto_stash`, its interval a minute), drained the way Phoenix's
  endpoint drains its sockets before the app stops, then `init:stop/0` on the peer.
  """

  import ExUnit.Assertions

  alias LiveStash.Test.{Client, Define, Flow, Peers, View, ViewServer, Writers}

  @doc """
  Starts a peer connected to `others`, defines `view` there on `adapter` with a minute's
  `auto_stash_interval`, mounts it and changes its count to `count` (pending in the view).
  Returns `{peer, node, view pid, stash id}`.
  """
  def pending_on_new_peer!(others, view, adapter, count) do
    {peer, node} = Peers.start!(others)

    opts = [
      adapter: adapter,
      stored_keys: [:count],
      auto_stash: true,
      auto_stash_interval: 60_000
    ]

    :erpc.call(node, Define, :view!, [view, opts])
    {:ok, pid} = :erpc.call(node, ViewServer, :start, [view, [params: Client.fresh_params()]])
    :ok = ViewServer.update(pid, {View, :set_count, [count]})
    id = Client.join_params(ViewServer.events(pid))["liveStash"]["stashId"]
    {peer, node, pid, id}
  end

  @doc "Phoenix's drain reaches the view: it ends, handing its pending write over."
  def drain!(pid) do
    ref = Process.monitor(pid)
    ViewServer.drain(pid)
    assert_receive {:DOWN, ^ref, :process, _, {:shutdown, :draining}}, 5_000
  end

  @doc """
  `init:stop/0` on `node`; returns once its `writer` is flushing (being stopped while
  writes are pending). `await_down!/1` then waits for the node to be gone.
  """
  def stop_node!(node, writer) do
    true = Node.monitor(node, true)
    :ok = :erpc.cast(node, :init, :stop, [])

    assert Flow.eventually(fn -> Writers.flushing?(node, writer) end),
           "#{inspect(writer)} on #{node} did not flush at shutdown"
  end

  def await_down!(node), do: assert_receive({:nodedown, ^node}, 15_000)
end
