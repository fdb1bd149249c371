defmodule LiveStash.Adapters.BrowserMemoryTest do
  use ExUnit.Case, async: true

  # Rejected tokens log a warning each, by design; shown only on failure.
  @moduletag :capture_log

  alias LiveStash.Adapters.BrowserMemory
  alias LiveStash.Test.{Client, Define, Endpoint, Tokens, View, ViewServer}
  alias LiveStash.Test.BrowserCounter, as: Encrypted
  alias LiveStash.Test.SignedBrowserCounter, as: Signed
  import LiveStash.Test.Flow

  @init "live-stash:init-browser-memory"
  @stash "live-stash:stash-state"

  defmodule Short do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:count],
      ttl: 1
  end

  defmodule Bound do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :encrypt,
      session_key: :user_token,
      stored_keys: [:count]
  end

  defmodule Reloadable do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      recover_after_reload: true,
      stored_keys: [:count]
  end

  defp last_token(pid), do: List.last(ViewServer.payloads(pid, @stash)).assigns

  # The token the view recovered from `held` when it pushed none since.
  defp last_token(pid, held) do
    case ViewServer.payloads(pid, @stash) do
      [] -> held["liveStash"]["stashedState"]
      _ -> last_token(pid)
    end
  end

  test "a fresh mount is :new and tells the client to drop what it kept for this view" do
    pid = start!(Signed, Client.fresh_params(%{"stashedState" => "left-over"}), id: "phx-a")
    assert ViewServer.assigns(pid).recover_status == :new
    assert ViewServer.events(pid) == [[@init, %{view: "phx-a"}]]
  end

  test "a stash pushes a token with the view id, and a reconnect recovers it" do
    pid = stashed_view(Signed, 7, id: "phx-b", official: true)
    assert [%{assigns: token, view: "phx-b"}] = ViewServer.payloads(pid, @stash)
    assert is_binary(token)

    pid = reconnect(pid, Signed, id: "phx-b")
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
  end

  test "nested/sibling views each get their own stash" do
    a = stashed_view(Signed, 1, id: "phx-parent", official: true)
    b = stashed_view(Signed, 2, id: "phx-parent-child", official: true)

    assert [%{view: "phx-parent"}] = ViewServer.payloads(a, @stash)
    assert [%{view: "phx-parent-child"}] = ViewServer.payloads(b, @stash)
    assert %{count: 1} = ViewServer.assigns(reconnect(a, Signed))
    assert %{count: 2} = ViewServer.assigns(reconnect(b, Signed))
  end

  test "a reconnect without a token is :not_found and clears the client" do
    pid = start!(Signed, Client.fresh_params())
    pid = reconnect(pid, Signed)
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
    assert [[@init, _]] = ViewServer.events(pid)
  end

  test "an unchanged value pushes nothing new (fingerprint)" do
    pid = stashed_view(Signed, 3, official: true)
    :ok = ViewServer.update(pid, {View, :put_count, [3]})
    :ok = ViewServer.update(pid, &LiveStash.stash/1)
    assert length(ViewServer.payloads(pid, @stash)) == 1

    :ok = ViewServer.update(pid, {View, :put_count, [4]})
    assert length(ViewServer.payloads(pid, @stash)) == 2
  end

  test "a change deep inside a stored value is pushed; the same value rebuilt is not" do
    # Whole tokens (the official client), so every push is one stash-state to count.
    pid = stashed_view(Signed, %{list: %{ids: [1, 2]}}, official: true)
    # Sent to the view, so it is a copy: equal, but not the term it stashed.
    :ok = ViewServer.update(pid, {View, :put_count, [%{list: %{ids: [1, 2]}}]})
    assert length(ViewServer.payloads(pid, @stash)) == 1

    :ok = ViewServer.update(pid, {View, :put_count, [%{list: %{ids: [1, 3]}}]})
    assert length(ViewServer.payloads(pid, @stash)) == 2
    # Equal under ==, yet another value: a float is stashed as a float.
    :ok = ViewServer.update(pid, {View, :put_count, [%{list: %{ids: [1.0, 3]}}]})
    assert length(ViewServer.payloads(pid, @stash)) == 3

    pid = reconnect(pid, Signed, official: true)

    assert %{recover_status: :recovered, count: %{list: %{ids: [1.0, 3]}}} =
             ViewServer.assigns(pid)
  end

  test "encrypted tokens do not reveal the stashed values; signed ones are still verified" do
    secret_value = "very-secret-#{System.unique_integer([:positive])}"
    pid = start!(Encrypted, Client.fresh_params(%{}, official: true))
    :ok = ViewServer.update(pid, {View, :put_count, [secret_value]})
    token = last_token(pid)

    refute token =~ secret_value
    refute inspect(decode_all_segments(token)) =~ secret_value

    pid = reconnect(pid, Encrypted)
    assert %{recover_status: :recovered, count: ^secret_value} = ViewServer.assigns(pid)
  end

  test "a tampered token is :error and the client is told to drop it" do
    pid = stashed_view(Signed, 5, official: true)
    [head, body, mac] = String.split(last_token(pid), ".")

    forged = %{
      "_mounts" => 1,
      "liveStash" => %{"stashedState" => Enum.join([head, body, flip(mac)], ".")}
    }

    ViewServer.stop(pid)

    pid = start!(Signed, forged)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    assert [[@init, _]] = ViewServer.events(pid)
  end

  test "a token from another session is :error" do
    pid = stashed_view(Bound, 5, session: %{"user_token" => "alice"})
    params = Client.join_params(ViewServer.events(pid))
    page = ViewServer.identity(pid)

    {other, log} =
      with_warnings(fn ->
        start!(Bound, params, [session: %{"user_token" => "mallory"}] ++ page)
      end)

    assert %{recover_status: :error, count: 0} = ViewServer.assigns(other)
    assert warned_once?(log, other, Bound, ":wrong_session")
    same = start!(Bound, params, [session: %{"user_token" => "alice"}] ++ page)
    assert %{recover_status: :recovered, count: 5} = ViewServer.assigns(same)
  end

  test "a token for another LiveView is :not_found and left in the browser for its owner" do
    owner = stashed_view(Signed, 5)
    params = Client.join_params(ViewServer.events(owner))
    {other, log} = with_warnings(fn -> rejoin(owner, Reloadable, params) end)
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(other)
    assert warned_once?(log, other, Reloadable, "the stash belongs to another view")
    # No init-browser-memory: the browser keeps the token, and its owner recovers it.
    assert ViewServer.events(other) == []
    owner = rejoin(other, Signed, params)
    assert %{recover_status: :recovered, count: 5} = ViewServer.assigns(owner)
  end

  for {mode, view} <- [sign: Signed, encrypt: Encrypted] do
    describe "two nested views of one module (#{mode}, live_render ids a and b)" do
      @view view

      test "official client: each gets the page's one token; A never takes B's" do
        {a, b} = nested_pair(@view, 2, 3, official: true)
        page = official_page([a, b])
        assert page["liveStash"]["stashedState"] == last_token(b)

        {[a, b], log} = rejoin_all([a, b], @view, page)
        assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(a)
        assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(b)
        assert warned_once?(log, a, @view, "the stash belongs to another view")
        refute log =~ "pid=#{:erlang.pid_to_list(b)} "
        # A pushed nothing: no init-browser-memory wiping the page's (B's) token.
        assert ViewServer.events(a) == []

        page = official_page([a, b], page)
        assert page["liveStash"]["stashedState"] == last_token(b, page)

        {[a, b], _log} = rejoin_all([a, b], @view, page)
        assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(b)
        assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(a)
      end

      test "our client: each view gets its own token back" do
        {a, b} = nested_pair(@view, 2, 3)
        each_recovers_its_own(@view, [{a, 2}, {b, 3}])
      end
    end
  end

  test "a version mismatch is :error and the stale stash is dropped" do
    opts = [adapter: BrowserMemory, security_mode: :sign, stored_keys: [:count], version: "v1"]
    view = Define.view!(LiveStash.Adapters.BrowserMemoryTest.Deployed, opts)
    pid = stashed_view(view, 2)
    {params, page} = {Client.join_params(ViewServer.events(pid)), ViewServer.identity(pid)}
    ViewServer.stop(pid)

    Define.view!(LiveStash.Adapters.BrowserMemoryTest.Deployed, Keyword.put(opts, :version, "v2"))
    {pid, log} = with_warnings(fn -> start!(view, params, page) end)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    assert [[@init, _]] = ViewServer.events(pid)
    assert warned_once?(log, pid, view, ":version_mismatch")
  end

  test "a payload that is validly signed but not a record is rejected, not crashed on" do
    for data <- ["not a term", :erlang.term_to_binary({:unexpected}), 42] do
      token = Phoenix.Token.sign(Endpoint, "live_stash", data, max_age: 300)

      {pid, log} = with_warnings(fn -> rejoin_with(Signed, token) end)
      assert %{recover_status: :error} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, Signed, ":malformed")
    end
  end

  test "a token in the record format before this one is :error, logged, and dropped" do
    # What the shim signed until records carried their view instance and session.
    for old <- [{Signed, nil, %{count: 1}}, {Signed, nil, %{count: 1}, %{}}] do
      token = Tokens.token(:erlang.term_to_binary(old, [:compressed]))

      {pid, log} = with_warnings(fn -> rejoin_with(Signed, token) end)
      assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
      assert [[@init, _]] = ViewServer.events(pid)
      assert warned_once?(log, pid, Signed, ":malformed")
    end
  end

  test "a signed token holding a function is :error: it is never decoded into a callable" do
    record = Tokens.record(Signed, "phx-fun", %{count: fn -> send(self(), :called) end})
    token = Tokens.token(record)

    {pid, log} = with_warnings(fn -> rejoin_with(Signed, token, id: "phx-fun") end)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    assert warned_once?(log, pid, Signed, ":malformed")
    refute_received :called
  end

  test "a token that fails authentication creates no atom, whatever it names" do
    # Terms naming an atom this VM has never seen, built by hand so it is not created here.
    name = "live_stash_never_seen_atom_#{System.unique_integer([:positive])}"
    atom = <<119, byte_size(name)>> <> name
    outer = <<131, 104, 3>> <> atom <> <<97, 0, 98, 300::32>>
    record = <<131, 104, 3>> <> atom <> <<106, 116, 0, 0, 0, 0>>
    b64 = &Base.url_encode64(&1, padding: false)

    forged = [
      # the outer payload names it, behind a made-up signature
      "SFMyNTY." <> b64.(outer) <> "." <> b64.(:crypto.strong_rand_bytes(32)),
      # a genuine signature, by another secret_key_base
      Phoenix.Token.sign(String.duplicate("another-key-base", 2), "live_stash", record)
    ]

    for token <- forged do
      {pid, log} = with_warnings(fn -> rejoin_with(Signed, token) end)
      assert %{recover_status: :error} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, Signed, ":tampered")
      assert_raise ArgumentError, fn -> String.to_existing_atom(name) end
    end
  end

  test "reset_stash tells the client to drop the stash" do
    pid = stashed_view(Signed, 9, id: "phx-r")
    :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)
    assert List.last(ViewServer.events(pid)) == [@init, %{view: "phx-r"}]

    pid = reconnect(pid, Signed)
    assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
  end

  describe "reload recovery (restored: true on a fresh mount)" do
    test "is accepted when the view opts in, without clearing the client first" do
      pid = stashed_view(Reloadable, 6)
      pid = reconnect(pid, Reloadable, mounts: 0, restored: true)
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
      refute Enum.any?(ViewServer.events(pid), &match?([@init, _], &1))
    end

    test "binds the stash to the new page's view, so a reconnect after the reload still recovers" do
      pid = stashed_view(Reloadable, 6)
      pid = reconnect(pid, Reloadable, mounts: 0, restored: true)
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)

      # Nothing is stashed after the reload; the socket drops and the same page rejoins.
      pid = reconnect(pid, Reloadable)
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
    end

    test "is ignored by default" do
      pid = stashed_view(Signed, 6)
      pid = reconnect(pid, Signed, mounts: 0, restored: true)
      assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)
      assert [[@init, _]] = ViewServer.events(pid)
    end

    test "still checks the TTL" do
      record = Tokens.record(Reloadable, "phx-before-the-reload", %{count: 1})
      token = Tokens.token(record, age: 301, max_age: 300)
      params = Client.fresh_params(%{"stashedState" => token, "restored" => true})

      {pid, log} = with_warnings(fn -> start!(Reloadable, params) end)
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      assert warned_once?(log, pid, Reloadable, ":expired")
    end

    test "takes the stash of the page before the reload, whose root id was another" do
      record = Tokens.record(Reloadable, "phx-before-the-reload", %{count: 4})
      params = Client.fresh_params(%{"stashedState" => Tokens.token(record), "restored" => true})
      pid = start!(Reloadable, params)
      assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(pid)
    end
  end

  describe "TTL" do
    test "an expired token is :not_found" do
      pid = stashed_view(Short, 1)
      params = Client.join_params(ViewServer.events(pid))
      ViewServer.stop(pid)
      Process.sleep(1_100)

      pid = start!(Short, params)
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
    end

    test "the token is leased while the LiveView lives, so an idle view still recovers" do
      pid = stashed_view(Short, 8, official: true)
      first = Client.join_params(ViewServer.events(pid))
      Process.sleep(1_600)

      assert length(ViewServer.payloads(pid, "live-stash:lease")) >= 3
      assert length(ViewServer.payloads(pid, @stash)) == 1
      pid = reconnect(pid, Short)
      assert %{recover_status: :recovered, count: 8} = ViewServer.assigns(pid)

      # while the first token, without its lease, has expired
      stale = start!(Short, first)
      assert %{recover_status: :not_found} = ViewServer.assigns(stale)
    end

    test "nothing is re-issued before anything was stashed" do
      pid = start!(Signed, Client.fresh_params())
      # Beats run by hand: a slow timer cannot make this pass without one.
      beat(pid)
      assert beat(pid) == [[@init, %{view: ViewServer.socket(pid).id}]]
    end
  end

  # A reconnect that hands `token` back.
  defp rejoin_with(view, token, opts \\ []),
    do: start!(view, %{"_mounts" => 1, "liveStash" => %{"stashedState" => token}}, opts)

  defp flip(<<c, rest::binary>>), do: <<if(c == ?A, do: ?B, else: ?A), rest::binary>>

  defp decode_all_segments(token) do
    for part <- String.split(token, "."),
        {:ok, bin} <- [Base.url_decode64(part, padding: false)],
        do: bin
  end
end
