defmodule LiveStash.Test.ClusterCases do
  @moduledoc """
  The cross-node cases every server adapter must pass: a reconnect on any node of a
  cluster recovers the newest stash written for that view, or nothing; never an older
  one. Three real `:peer` nodes (A, B, C) play a cluster behind a load balancer without
  sticky sessions; every view runs on a peer, never on the test node.

  ## Adding an adapter

  1. A counter view using the adapter. Compiled to disk so peers can load it, like
     `test/support/mnesia_counter.ex`; or, for an adapter that is not active when the
     suite compiles (Redis), named here and compiled at runtime on every node from
     `view_opts` (the `LiveStash` options), as `redis_cluster_test.exs` does.
  2. `LiveStash.Test.Client.join_params/2` hands the adapter's init event back (one
     clause, like init-mnesia's).
  3. A test module:

         defmodule LiveStash.MnesiaClusterTest do
           use ExUnit.Case, async: false

           use LiveStash.Test.ClusterCases,
             view: LiveStash.Test.MnesiaCounter,
             # app env for the peers, on top of this node's (optional)
             peer_env: [adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.Mnesia]],
             # after the last writer's node stops: :newest for a shared or replicated
             # store, :not_found for a node-local one
             writer_gone: :newest,
             # true when a recovery must leave no row at all on the old node
             moves?: false,
             # what a join without a readable hint recovers on a node that did not
             # write last: :newest (the default), or :not_found for a store that then
             # reads only its own node
             hintless: :newest

           # The count stored for `stash_id` as `node` sees it, or nil.
           def stored_count(node, stash_id), do: ...
         end

     A store that needs a server (Redis) starts it in a `setup_all` placed before
     `use LiveStash.Test.ClusterCases` (setup_all callbacks run in order), and points
     this node's app env at it: peers copy this node's `:live_stash` app env when they
     start. That `setup_all` may also return `%{peer_env: [...]}`, merged over `peer_env`.
  """

  defmacro __using__(opts) do
    quote bind_quoted: [opts: opts] do
      import LiveStash.Test.ClusterCases
      alias LiveStash.Test.Peers

      @view Keyword.fetch!(opts, :view)
      @peer_env Keyword.get(opts, :peer_env, [])
      @writer_gone Keyword.fetch!(opts, :writer_gone)
      @moves? Keyword.fetch!(opts, :moves?)
      @hintless Keyword.get(opts, :hintless, :newest)
      @view_opts Keyword.get(opts, :view_opts)

      setup_all context do
        if @view_opts, do: LiveStash.Test.Define.view!(@view, @view_opts)
        env = Keyword.merge(@peer_env, Map.get(context, :peer_env, []))
        {pa, a} = start_peer!([], env, @view, @view_opts)
        {pb, b} = start_peer!([a], env, @view, @view_opts)
        {pc, c} = start_peer!([a, b], env, @view, @view_opts)
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
        {peer, d} = start_peer!([a, b, c], env, @view, @view_opts)
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

      test "a reset wins on every node, and its late delete spares what is stashed next",
           %{a: a, b: b, c: c} do
        params = first_stash(@view, a, 3)

        # A's writer (if the adapter has one) stalls: the reset's delete waits there.
        params =
          LiveStash.Test.Writers.stalled_on(a, fn ->
            assert {:recovered, 3, reset} = reset_on(@view, a, params)
            assert {status, 0, params} = visit(@view, b, reset, 5)
            assert status in [:new, :not_found]
            params
          end)

        :ok = LiveStash.Test.Writers.settle_on(a)
        assert {:recovered, 5, _} = visit(@view, c, params, nil)
      end

      test "a missing or unreadable hint finds the newest, or nothing when the store allows",
           %{a: a, b: b, c: c} do
        expected = if @hintless == :newest, do: {:recovered, 4}, else: {:not_found, 0}

        for hint <- [:missing, "not-a-hint"] do
          params = first_stash(@view, a, 3)
          assert {:recovered, 3, params} = visit(@view, b, params, 4)

          params =
            if hint == :missing,
              do: update_in(params["liveStash"], &Map.delete(&1, "node")),
              else: put_in(params["liveStash"]["node"], hint)

          {status, count, _} = visit(@view, c, params, nil)
          assert {status, count} == expected
        end
      end
    end
  end

  alias LiveStash.Test.{Client, Define, Peers, View, ViewServer, Writers}

  # Every visit is the same page, unless a test plays another view on it.
  @page "phx-F8cluster-page"

  @doc """
  A peer (see `LiveStash.Test.Peers.start!/2`) that can mount `view`: with `view_opts`,
  the view is compiled there at runtime. Returns `{peer, node}`.
  """
  def start_peer!(others, env, view, view_opts) do
    {peer, node} = Peers.start!(others, env)
    if view_opts, do: :erpc.call(node, Define, :view!, [view, view_opts])
    {peer, node}
  end

  @doc "A fresh mount on `node` that stashed `count`; returns the join params it leaves."
  def first_stash(view, node, count) do
    {:new, 0, params} = visit(view, node, Client.fresh_params(), count)
    params
  end

  @doc """
  Mounts `view` on `node` with `params` (the reconnect lands there), reads what it
  recovered, stashes `count` unless nil, and drops the socket. Returns
  `{status, recovered_count, next_join_params}`. Every visit is the same page, so the
  view keeps its DOM id (`socket.id`) wherever it lands; another `page_id` plays another
  view handed the same stash (a sibling, with the official client).
  """
  def visit(view, node, params, count, page_id \\ @page) do
    opts = [params: params, id: page_id]
    {:ok, pid} = :erpc.call(node, ViewServer, :start, [view, opts])
    %{recover_status: status, count: recovered} = ViewServer.assigns(pid)
    if count, do: :ok = ViewServer.update(pid, {View, :put_count, [count]})
    # The stash lands a moment after the event (write-behind); a real reconnect takes far
    # longer, and a loaded machine must not reorder the two here. A store that is down (a
    # test of just that) keeps it pending: that test asserts what it expects instead.
    _ = Writers.settle_on(node, 2_000)
    # The browser keeps what it held unless told otherwise (a recovered token, say).
    next = Client.join_params(ViewServer.events(pid), held: params)
    ViewServer.stop(pid)
    {status, recovered, next}
  end

  @doc """
  Like `visit/4`, but the view resets its stash (`LiveStash.reset_stash/1`) instead of
  stashing. Returns `{status, recovered_count, next_join_params}`.
  """
  def reset_on(view, node, params) do
    {:ok, pid} = :erpc.call(node, ViewServer, :start, [view, [params: params, id: @page]])
    %{recover_status: status, count: recovered} = ViewServer.assigns(pid)
    :ok = ViewServer.update(pid, {LiveStash, :reset_stash, []})
    next = Client.join_params(ViewServer.events(pid), held: params)
    ViewServer.stop(pid)
    {status, recovered, next}
  end

  @doc "The node hint a mount on `node` hands out (nil for adapters without one)."
  def hint_of(view, node) do
    {_status, _count, params} = visit(view, node, Client.fresh_params(), nil)
    params["liveStash"]["node"]
  end
end
