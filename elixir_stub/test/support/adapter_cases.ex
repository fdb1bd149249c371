defmodule LiveStash.Test.AdapterCases do
  @moduledoc """
  The stash life every server adapter (ETS, Mnesia, Redis) must get right on one node:
  reconnect, nothing stashed, fresh mount, reset, version and LiveView checks, session
  binding, TTL and the keep-alive, and the fingerprint that skips unchanged writes.

      use LiveStash.Test.AdapterCases,
        init: "live-stash:init-mnesia",
        # counter, short (ttl: 1), bound (session_key: "user_token"), and other: a
        # second LiveView module with the same stored_keys
        views: [counter: Counter, short: Short, bound: Bound, other: Other],
        # compiled at runtime as version 1, then 2 (a deploy)
        deployed: {LiveStash.MnesiaTest.Deployed, [adapter: LiveStash.Adapters.Mnesia]},
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
        ViewServer.stop(pid)

        Define.view!(view, adapter ++ [stored_keys: [:count], version: 2])
        pid = start!(view, params)
        assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
        assert eventually(fn -> stored_count(id) == nil end)
        assert stash_id(pid, @init) != id == @rotates?, "rotated to a new id?"
      end

      test "a stash written by another LiveView module is :error" do
        pid = reconnect(stashed_view(@counter, 3), @other)
        assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
      end

      test "session binding: another session cannot recover the stash" do
        pid = stashed_view(@bound, 11, session: %{"user_token" => "alice"})
        params = Client.join_params(ViewServer.events(pid))

        other = start!(@bound, params, session: %{"user_token" => "mallory"})
        assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(other)

        same = start!(@bound, params, session: %{"user_token" => "alice"})
        assert %{recover_status: :recovered, count: 11} = ViewServer.assigns(same)
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
