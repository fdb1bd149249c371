defmodule LiveStash.Adapters.BrowserMemory.KeyedTest do
  @moduledoc """
  Keyed browser stashes (issue 16, part 1): our client announces `accept: ["keys"]` and
  gets one token per stored key plus a manifest, so a small change pushes a small payload,
  and a recovery never assembles a state out of keys from different stashes.
  """
  use ExUnit.Case, async: true

  # Rejected stashes log a warning each, by design; shown only on failure.
  @moduletag :capture_log

  alias LiveStash.Test.{Client, ComponentFlow, Define, Item, View, ViewServer, Wire}
  import LiveStash.Test.Flow

  @init "live-stash:init-browser-memory"
  @keys "live-stash:stash-keys"
  @whole "live-stash:stash-state"
  @lease "live-stash:lease"
  @blob_bytes 65_536

  defp set(pid, assigns),
    do:
      :ok =
        ViewServer.update(pid, &(&1 |> Phoenix.Component.assign(assigns) |> LiveStash.stash()))

  defp keyed(pid), do: ViewServer.payloads(pid, @keys)
  defp names(events), do: Enum.map(events, fn [name, _] -> name end)
  defp entry(params), do: params["liveStash"]

  # A view holding a 64 KB incompressible blob and a small counter, both stashed.
  defp big_view(view, opts \\ []) do
    pid = start!(view, Client.fresh_params(), Keyword.put_new(opts, :id, ViewServer.random_id()))
    blob = :crypto.strong_rand_bytes(@blob_bytes)
    set(pid, count: 0, other: blob)
    {pid, blob}
  end

  for mode <- [:sign, :encrypt] do
    describe "#{mode}" do
      setup do
        suffix = System.unique_integer([:positive])
        base = [adapter: LiveStash.Adapters.BrowserMemory, security_mode: unquote(mode)]
        opts = base ++ [stored_keys: [:count, :other], recover_after_reload: true]

        %{
          view: Define.view!(:"Elixir.LiveStash.KeyedTest.V#{suffix}", opts),
          other_module: Define.view!(:"Elixir.LiveStash.KeyedTest.O#{suffix}", opts),
          bound:
            Define.view!(
              :"Elixir.LiveStash.KeyedTest.B#{suffix}",
              opts ++ [session_key: :user_token]
            ),
          short: Define.view!(:"Elixir.LiveStash.KeyedTest.S#{suffix}", opts ++ [ttl: 1])
        }
      end

      test "one small key change pushes only that key's token and the manifest, <= 2 KB", %{
        view: view
      } do
        {pid, _blob} = big_view(view)
        id = ViewServer.socket(pid).id
        assert [first] = keyed(pid)
        assert first.keys |> Map.keys() |> Enum.sort() == ["a:count", "a:other"]
        assert Wire.frame_bytes(id, [[@keys, first]]) > @blob_bytes

        :ok = ViewServer.update(pid, {View, :put_count, [1]})
        assert [_, second] = keyed(pid)
        assert Map.keys(second.keys) == ["a:count"]
        assert Enum.sort(second.names) == ["a:count", "a:other"]
        assert Wire.frame_bytes(id, [[@keys, second]]) <= 2048
      end

      test "nothing changed pushes nothing", %{view: view} do
        {pid, blob} = big_view(view)
        before = ViewServer.events(pid)
        set(pid, count: 0, other: blob)
        :ok = ViewServer.update(pid, &LiveStash.stash/1)
        assert ViewServer.events(pid) == before
      end

      test "a reconnect recovers every key, answers with a lease, and later pushes only changes",
           %{view: view} do
        {pid, blob} = big_view(view)
        :ok = ViewServer.update(pid, {View, :put_count, [1]})

        pid = reconnect(pid, view)
        assert %{recover_status: :recovered, count: 1, other: ^blob} = ViewServer.assigns(pid)
        assert names(ViewServer.events(pid)) == [@lease]

        :ok = ViewServer.update(pid, {View, :put_count, [2]})
        assert [%{keys: keys}] = keyed(pid)
        assert Map.keys(keys) == ["a:count"]

        pid = reconnect(pid, view)
        assert %{recover_status: :recovered, count: 2, other: ^blob} = ViewServer.assigns(pid)
      end

      test "the official client (no accept) still gets whole tokens and recovers", %{view: view} do
        pid = start!(view, Client.fresh_params(%{}, official: true))
        :ok = ViewServer.update(pid, {View, :put_count, [4]})
        assert keyed(pid) == []
        assert [%{assigns: _}] = ViewServer.payloads(pid, @whole)

        pid = reconnect(pid, view, official: true)
        assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(pid)
      end

      test "a fresh mount is :new and clears what the tab kept", %{view: view} do
        {pid, _blob} = big_view(view)
        held = entry(Client.join_params(ViewServer.events(pid)))
        pid = start!(view, Client.fresh_params(Map.drop(held, ["accept"])))
        assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)
        assert names(ViewServer.events(pid)) == [@init]
      end

      test "a reset clears the client, and the next stash pushes every key again", %{view: view} do
        {pid, blob} = big_view(view)
        :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
        assert List.last(names(ViewServer.events(pid))) == @init

        :ok = ViewServer.update(pid, {View, :put_count, [3]})
        assert [_, %{keys: keys}] = keyed(pid)
        assert keys |> Map.keys() |> Enum.sort() == ["a:count", "a:other"]

        pid = reconnect(pid, view)
        assert %{recover_status: :recovered, count: 3, other: ^blob} = ViewServer.assigns(pid)
      end

      test "a reload replay rewrites the manifest for the new page without resending the keys",
           %{view: view} do
        {pid, blob} = big_view(view)
        pid = reconnect(pid, view, mounts: 0, restored: true)
        assert %{recover_status: :recovered, other: ^blob} = ViewServer.assigns(pid)
        assert [%{keys: keys, view: new_id}] = keyed(pid)
        assert keys == %{} and new_id == ViewServer.socket(pid).id

        pid = reconnect(pid, view)
        assert %{recover_status: :recovered, count: 0, other: ^blob} = ViewServer.assigns(pid)
      end

      test "an older key token replayed with a newer manifest or newer keys is :error", %{
        view: view
      } do
        {pid, _blob} = big_view(view)
        old = entry(Client.join_params(ViewServer.events(pid)))
        :ok = ViewServer.update(pid, {View, :put_count, [1]})
        params = Client.join_params(ViewServer.events(pid))
        new = entry(params)

        old_count = put_in(new, ["stashedKeys", "a:count"], old["stashedKeys"]["a:count"])
        old_manifest = Map.put(new, "stashedManifest", old["stashedManifest"])

        pid =
          Enum.reduce([old_count, old_manifest], pid, fn replayed, pid ->
            assert_rejected(pid, view, Map.put(params, "liveStash", replayed), ":mixed_keys")
          end)

        # while the stash as the client holds it still recovers
        pid = rejoin(pid, view, params)
        assert %{recover_status: :recovered, count: 1} = ViewServer.assigns(pid)
      end

      test "a key token moved from another view instance, module or session is :error", ctx do
        {pid, _} = big_view(ctx.view)
        params = Client.join_params(ViewServer.events(pid))

        {sibling, _} = big_view(ctx.view)
        {module, _} = big_view(ctx.other_module, id: ViewServer.socket(pid).id)

        Enum.reduce([sibling, module], pid, fn donor, pid ->
          token = entry(Client.join_params(ViewServer.events(donor)))["stashedKeys"]["a:count"]
          moved = put_in(params, ["liveStash", "stashedKeys", "a:count"], token)
          assert_rejected(pid, ctx.view, moved, ":mixed_keys")
        end)

        alice = [session: %{"user_token" => "alice"}]
        {a, _} = big_view(ctx.bound, alice)
        {b, _} = big_view(ctx.bound, session: %{"user_token" => "bob"})
        bobs = Client.join_params(ViewServer.events(b))
        token = entry(Client.join_params(ViewServer.events(a)))["stashedKeys"]["a:count"]
        moved = put_in(bobs, ["liveStash", "stashedKeys", "a:count"], token)
        assert_rejected(b, ctx.bound, moved, ":mixed_keys", session: %{"user_token" => "bob"})
        # and bob's whole stash under alice's session is another session's
        assert_rejected(a, ctx.bound, bobs, ":wrong_session", alice)
      end

      test "a missing or an extra key is :error", %{view: view} do
        {pid, _} = big_view(view)
        params = Client.join_params(ViewServer.events(pid))
        keys = entry(params)["stashedKeys"]
        missing = put_in(params, ["liveStash", "stashedKeys"], Map.delete(keys, "a:other"))
        extra = put_in(params, ["liveStash", "stashedKeys", "a:more"], keys["a:count"])

        Enum.reduce([missing, extra], pid, &assert_rejected(&2, view, &1, ":mixed_keys"))
      end

      test "a tampered manifest is :error, and garbage params are nothing stashed", %{view: view} do
        {pid, _} = big_view(view)
        params = Client.join_params(ViewServer.events(pid))
        manifest = entry(params)["stashedManifest"]
        {rest, last} = String.split_at(manifest, -2)
        flipped = rest <> if(last == "AA", do: "BB", else: "AA")
        forged = put_in(params, ["liveStash", "stashedManifest"], flipped)
        pid = assert_rejected(pid, view, forged, ":tampered")

        for garbage <- [%{"a:count" => 1}, ["x"], %{"a:count" => ""}], reduce: pid do
          pid ->
            bad = put_in(params, ["liveStash", "stashedKeys"], garbage)
            pid = rejoin(pid, view, bad)
            assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
            pid
        end
      end

      test "a manifest of another view instance is :not_found and left alone", %{view: view} do
        {owner, blob} = big_view(view)
        params = Client.join_params(ViewServer.events(owner))
        {other, log} = with_warnings(fn -> start!(view, params) end)
        assert %{recover_status: :not_found} = ViewServer.assigns(other)
        assert warned_once?(log, other, view, ":wrong_view")
        assert ViewServer.events(other) == []

        owner = rejoin(owner, view, params)
        assert %{recover_status: :recovered, other: ^blob} = ViewServer.assigns(owner)
      end

      test "past the ttl the manifest recovers only with its lease", %{short: view} do
        pid = start!(view, Client.fresh_params())
        :ok = ViewServer.update(pid, {View, :put_count, [8]})
        first = Client.join_params(ViewServer.events(pid))
        Process.sleep(1_600)

        assert length(ViewServer.payloads(pid, @lease)) >= 3
        assert length(keyed(pid)) == 1
        pid = reconnect(pid, view)
        assert %{recover_status: :recovered, count: 8} = ViewServer.assigns(pid)

        # while the first manifest, without its lease, has expired
        stale = start!(view, first)
        assert %{recover_status: :not_found} = ViewServer.assigns(stale)
      end
    end
  end

  describe "components (encrypt)" do
    alias LiveStash.Test.BrowserTodo, as: Todo

    test "a component's change pushes only the components key, and a reconnect recovers it" do
      pid = ComponentFlow.fresh(Todo)
      ComponentFlow.type(pid, "a", "buy milk")
      ComponentFlow.type(pid, "b", "call mum")
      assert [_ | _] = pushes = keyed(pid)
      assert Enum.all?(pushes, &(Map.keys(&1.keys) == ["c"]))

      # the keep-alive leases the manifest a component wrote
      beat(pid)
      assert [_] = ViewServer.payloads(pid, @lease)

      pid = ComponentFlow.reconnect(pid, Todo)
      assert %{recover_status: :recovered, draft: "buy milk"} = ComponentFlow.item(pid, "a")
      assert %{recover_status: :recovered, draft: "call mum"} = ComponentFlow.item(pid, "b", Item)
      assert names(ViewServer.events(pid)) == [@lease]
    end
  end

  defp assert_rejected(pid, view, params, reason, opts \\ []) do
    {other, log} = with_warnings(fn -> rejoin(pid, view, params, opts) end)
    assert %{recover_status: status, count: 0} = ViewServer.assigns(other)
    assert {status, warned_once?(log, other, view, reason)} == {:error, true}, log
    assert names(ViewServer.events(other)) == [@init]
    other
  end
end
