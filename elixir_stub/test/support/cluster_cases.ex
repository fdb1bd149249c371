defmodule LiveStash.Test.ClusterCases do
  @moduledoc """
  The cross-node cases every server adapter must pass: a reconnect on any node of a
  cluster recovers the newest stash written for that view, or nothing; never an older
  one. Three real `:peer` nodes (A, B, C) play a cluster behind a load balancer without
  sticky sessions; every view runs on a peer, never on the test node.

  ## Adding an adapter (e.g. Redis)

  1. A counter view using the adapter, compiled to disk so peers can load it, like
     `test/support/mnesia_counter.ex`.
  2. `LiveStash.Test.Client.join_params/2` hands the adapter's init event back (one
     clause, like init-mnesia's).
  3. A test module:

         defmodule LiveStash.RedisClusterTest do
           use ExUnit.Case, async: false

           use LiveStash.Test.ClusterCases,
             view: LiveStash.Test.RedisCounter,
             # app env for the peers, on top of this node's
             peer_env: [adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.Redis]],
             # after the last writer's node stops: :newest for a shared or replicated
             # store, :not_found for a node-local one
             writer_gone: :newest,
             # true when a recovery must leave no row at all on the old node
             moves?: false

           # The count stored for `stash_id` as `node` sees it, or nil.
           def stored_count(node, stash_id), do: ...
         end

     A store that needs a server (Redis) starts it in a `setup_all` placed before
     `use LiveStash.Test.ClusterCases` (setup_all callbacks run in order) and returns
     `%{peer_env: [redis: url]}`: that runtime env is merged over `peer_env` when the
     peers start. Peers also copy this node's `:live_stash` app env.
  """

  defmacro __using__(opts) do
    quote bind_quoted: [opts: opts] do
      import LiveStash.Test.ClusterCases
      alias LiveStash.Test.Peers

      @view Keyword.fetch!(opts, :view)
      @peer_env Keyword.get(opts, :peer_env, [])
      @writer_gone Keyword.fetch!(opts, :writer_gone)
      @moves? Keyword.fetch!(opts, :moves?)

      setup_all context do
        env = Keyword.merge(@peer_env, Map.get(context, :peer_env, []))
        {pa, a} = Peers.start!([], env)
        {pb, b} = Peers.start!([a], env)
        {pc, c} = Peers.start!([a, b], env)
        on_exit(fn -> Enum.each([pa, pb, pc], &Peers.stop/1) end)
        %{a: a, b: b, c: c, peer_env: env}
      end

      test "ping-pong between two nodes always recovers the newest", %{a: a, b: b} do
        params = first_stash(@view, a, 1)

        Enum.reduce(2..7, {params, 1}, fn count, {params, last} ->
          node = if rem(count, 2) == 0, do: b, else: a
          assert {:recovered, ^last, params} = visit(@view, node, params, count)
          {params, count}
        end)
      end

      test "ping-pong over three nodes always recovers the newest", %{a: a, b: b, c: c} do
        params = first_stash(@view, a, 1)

        [b, c, a, c, b, a, b]
        |> Enum.with_index(2)
        |> Enum.reduce({params, 1}, fn {node, count}, {params, last} ->
          assert {:recovered, ^last, params} = visit(@view, node, params, count)
          {params, count}
        end)
      end

      test "after a recovery elsewhere no node holds an older copy", %{a: a, b: b, c: c} do
        params = first_stash(@view, a, 1)
        id = params["liveStash"]["stashId"]
        assert {:recovered, 1, params} = visit(@view, b, params, 2)

        for node <- [a, b, c], do: assert(stored_count(node, id) in [nil, 2])
        if @moves?, do: assert(stored_count(a, id) == nil)
        assert {:recovered, 2, _} = visit(@view, a, params, nil)
      end

      test "when the last writer's node is gone, never an older state", ctx do
        %{a: a, b: b, c: c, peer_env: env} = ctx
        {peer, d} = Peers.start!([a, b, c], env)
        params = first_stash(@view, a, 1)
        assert {:recovered, 1, params} = visit(@view, d, params, 5)
        Peers.stop(peer)

        expected = if @writer_gone == :newest, do: {:recovered, 5}, else: {:not_found, 0}
        {status, count, _} = visit(@view, b, params, nil)
        assert {status, count} == expected
      end

      test "a wrong hint finds the newest or nothing", %{a: a, b: b, c: c} do
        params = first_stash(@view, a, 3)
        assert {:recovered, 3, params} = visit(@view, b, params, 4)
        wrong = put_in(params["liveStash"]["node"], hint_of(@view, c))

        {status, count, _} = visit(@view, a, wrong, nil)
        assert {status, count} in [{:recovered, 4}, {:not_found, 0}]
      end

      test "a missing or unreadable hint still finds the newest", %{a: a, b: b, c: c} do
        for hint <- [:missing, "not-a-hint"] do
          params = first_stash(@view, a, 3)
          assert {:recovered, 3, params} = visit(@view, b, params, 4)

          params =
            if hint == :missing,
              do: update_in(params["liveStash"], &Map.delete(&1, "node")),
              else: put_in(params["liveStash"]["node"], hint)

          assert {:recovered, 4, _} = visit(@view, c, params, nil)
        end
      end
    end
  end

  alias LiveStash.Test.{Client, View, ViewServer}

  @doc "A fresh mount on `node` that stashed `count`; returns the join params it leaves."
  def first_stash(view, node, count) do
    {:new, 0, params} = visit(view, node, Client.fresh_params(), count)
    params
  end

  @doc """
  Mounts `view` on `node` with `params` (the reconnect lands there), reads what it
  recovered, stashes `count` unless nil, and drops the socket. Returns
  `{status, recovered_count, next_join_params}`.
  """
  def visit(view, node, params, count) do
    {:ok, pid} = :erpc.call(node, ViewServer, :start, [view, [params: params]])
    %{recover_status: status, count: recovered} = ViewServer.assigns(pid)
    if count, do: :ok = ViewServer.update(pid, {View, :put_count, [count]})
    next = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)
    {status, recovered, next}
  end

  @doc "The node hint a mount on `node` hands out (nil for adapters without one)."
  def hint_of(view, node) do
    {_status, _count, params} = visit(view, node, Client.fresh_params(), nil)
    params["liveStash"]["node"]
  end
end
