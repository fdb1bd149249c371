defmodule LiveStash.Test.AdapterCases do
  @moduledoc """
  The stash life every server adapter (ETS, Mnesia, Redis) must get right on one node:
  reconnect, nothing stashed, fresh mount, reset, version and LiveView checks, session
  binding, TTL and the keep-alive, the fingerprint that skips unchanged writes, and two
  nested views of one module, with the official client (one stash per page) and ours.

      use LiveStash.Test.AdapterCases,
        init: "live-stash:init-mnesia",
        # counter, short (ttl: 1), bound (session_key: "user_token"), and other: a
        # second LiveView module with the same stored_keys
        views: [counter: Counter, short: Short, bound: Bound, other: Other],
        # compiled at runtime as version 1, then 2 (a deploy)
        deployed: {LiveStash.Adapters.MnesiaTest.Deployed, [adapter: LiveStash.Adapters.Mnesia]},
        # true when a rejected stash moves the client to a new id
        rotates_on_drop?: false

      # The count the store holds for `stash_id` (the "live_stash" secret), or nil.
      def stored_count(stash_id), do: ...
      # Deletes it behind the adapter's back.
      def delete_stored(stash_id), do: ...
  """

  defmacro __using__(opts) do
    quote bind_quoted: [opts: opts] do
      import LiveStash.Test.AdapterCases
      import LiveStash.Test.Flow
      alias LiveStash.Test.{Client, Define, View, ViewServer}

      @init Keyword.fetch!(opts, :init)
      @views Keyword.fetch!(opts, :views)
      @counter Keyword.fetch!(@views, :counter)
      @short Keyword.fetch!(@views, :short)
      @bound Keyword.fetch!(@views, :bound)
      @other Keyword.fetch!(@views, :other)
      @deployed Keyword.fetch!(opts, :deployed)
      @rotates? Keyword.fetch!(opts, :rotates_on_drop?)

      test "a reconnect recovers the stash and keeps the id; it stays for the next drop" do
        pid = stashed_view(@counter, 7)
        id = stash_id(pid, @init)
        assert stored_count(id) == 7

        pid = reconnect(pid, @counter)
        assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
        assert stash_id(pid, @init) == id
        pid = reconnect(pid, @counter)
        assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)

        :ok = ViewServer.update(pid, {View, :put_count, [8]})
        pid = reconnect(pid, @counter)
        assert %{recover_status: :recovered, count: 8} = ViewServer.assigns(pid)
      end

      test "a reconnect with nothing stashed is :not_found" do
        pid = reconnect(start!(@counter, Client.fresh_params()), @counter)
        assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      end

      test "a fresh mount rotates the id and does not recover, even when handed an old id" do
        pid = stashed_view(@counter, 5)
        id = stash_id(pid, @init)
        pid = reconnect(pid, @counter, mounts: 0)
        assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)
        assert stash_id(pid, @init) != id
      end

      test "reset_stash deletes the stash and the reconnect finds nothing" do
        pid = stashed_view(@counter, 9)
        id = stash_id(pid, @init)
        assert stored_count(id) == 9

        :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
        assert eventually(fn -> stored_count(id) == nil end)
        pid = reconnect(pid, @counter)
        assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      end

      test "a version mismatch is :error and deletes the stale stash" do
        {view, adapter} = @deployed
        Define.view!(view, adapter ++ [stored_keys: [:count], version: 1])
        pid = stashed_view(view, 3)
        {params, id} = {Client.join_params(ViewServer.events(pid)), stash_id(pid, @init)}
        page = ViewServer.identity(pid)
        ViewServer.stop(pid)
        Define.view!(view, adapter ++ [stored_keys: [:count], version: 2])

        {pid, log} = with_warnings(fn -> start!(view, params, page) end)
        assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
        assert warned_once?(log, pid, view, ":version_mismatch")
        assert eventually(fn -> stored_count(id) == nil end)
        assert stash_id(pid, @init) != id == @rotates?, "rotated to a new id?"
      end

      test "a stash written by another LiveView module is :not_found and stays for its owner" do
        owner = stashed_view(@counter, 3)
        {params, id} = {Client.join_params(ViewServer.events(owner)), stash_id(owner, @init)}

        {other, log} = with_warnings(fn -> rejoin(owner, @other, params) end)
        assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(other)
        assert warned_once?(log, other, @other, "the stash belongs to another view")
        # Not deleted, and the other view moved to an id of its own.
        assert stored_count(id) == 3
        refute stash_id(other, @init) == id

        :ok = ViewServer.update(other, {View, :put_count, [9]})
        assert stored_count(id) == 3
        owner = rejoin(other, @counter, params)
        assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(owner)
      end

      test "session binding: another session cannot recover the stash" do
        pid = stashed_view(@bound, 11, session: %{"user_token" => "alice"})
        params = Client.join_params(ViewServer.events(pid))
        page = ViewServer.identity(pid)

        other = start!(@bound, params, [session: %{"user_token" => "mallory"}] ++ page)
        assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(other)

        same = start!(@bound, params, [session: %{"user_token" => "alice"}] ++ page)
        assert %{recover_status: :recovered, count: 11} = ViewServer.assigns(same)
      end

      describe "two nested views of one module (live_render ids a and b)" do
        test "official client: each gets the page's one stash; A never takes B's" do
          {a, b} = nested_pair(@counter, 2, 3)
          b_stash = stash_id(b, @init)
          page = official_page([a, b])
          assert page["liveStash"]["stashId"] == b_stash

          {[a, b], log} = rejoin_all([a, b], @counter, page)
          assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(a)
          assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(b)
          assert warned_once?(log, a, @counter, "the stash belongs to another view")
          refute log =~ "pid=#{:erlang.pid_to_list(b)} "

          # B's row is untouched, and A writes elsewhere from now on.
          refute stash_id(a, @init) == b_stash
          :ok = ViewServer.update(a, {View, :put_count, [7]})
          assert stored_count(b_stash) == 3

          # B announced its id after A took a new one: the page still points at B's.
          page = official_page([a, b], page)
          assert page["liveStash"]["stashId"] == b_stash

          {[a, b], _log} = rejoin_all([a, b], @counter, page)
          assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(b)
          assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(a)
        end

        test "our client: each view gets its own stash back" do
          {a, b} = nested_pair(@counter, 2, 3)
          each_recovers_its_own(@counter, [{a, 2}, {b, 3}])
        end
      end

      test "an unchanged value is not written again (fingerprint), a change is" do
        pid = stashed_view(@counter, 4)
        id = stash_id(pid, @init)
        assert stored_count(id) == 4

        :ok = delete_stored(id)
        :ok = ViewServer.update(pid, {View, :put_count, [4]})
        assert stored_count(id) == nil
        :ok = ViewServer.update(pid, {View, :put_count, [5]})
        assert stored_count(id) == 5
      end

      describe "TTL and keep-alive" do
        test "an abandoned stash expires" do
          pid = stashed_view(@short, 1)
          {params, id} = {Client.join_params(ViewServer.events(pid)), stash_id(pid, @init)}
          ViewServer.stop(pid)

          # Polled, not slept: Redis may get the last keep-alive's PEXPIRE a little late.
          assert eventually(fn -> stored_count(id) == nil end)
          assert %{recover_status: :not_found} = ViewServer.assigns(start!(@short, params))
        end

        test "the keep-alive keeps a live view's stash past its TTL" do
          pid = stashed_view(@short, 8)
          id = stash_id(pid, @init)
          Process.sleep(2_200)

          assert stored_count(id) == 8
          pid = reconnect(pid, @short)
          assert %{recover_status: :recovered, count: 8} = ViewServer.assigns(pid)
          ViewServer.stop(pid)
        end
      end
    end
  end

  alias LiveStash.Test.ViewServer

  @doc "The count in a store's lookup result (`{:ok, record}` or `:not_found`), or nil."
  def count_of({:ok, %LiveStash.Record{assigns: %{count: count}}}), do: count
  def count_of(:not_found), do: nil

  @doc "The stash id the view was last told (its latest `init` event)."
  def stash_id(pid, init),
    do: ViewServer.payloads(pid, init) |> List.last() |> Map.fetch!(:stashId)
end
