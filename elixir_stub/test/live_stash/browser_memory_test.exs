defmodule LiveStash.BrowserMemoryTest do
  use ExUnit.Case, async: true

  alias LiveStash.Adapters.BrowserMemory
  alias LiveStash.Test.{Client, Define, Endpoint, View, ViewServer}
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

  test "a fresh mount is :new and tells the client to drop what it kept for this view" do
    pid = start!(Signed, Client.fresh_params(%{"stashedState" => "left-over"}), id: "phx-a")
    assert ViewServer.assigns(pid).recover_status == :new
    assert ViewServer.events(pid) == [[@init, %{view: "phx-a"}]]
  end

  test "a stash pushes a token with the view id, and a reconnect recovers it" do
    pid = stashed_view(Signed, 7, id: "phx-b")
    assert [%{assigns: token, view: "phx-b"}] = ViewServer.payloads(pid, @stash)
    assert is_binary(token)

    pid = reconnect(pid, Signed, id: "phx-b")
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
  end

  test "nested/sibling views each get their own stash" do
    a = stashed_view(Signed, 1, id: "phx-parent")
    b = stashed_view(Signed, 2, id: "phx-parent-child")

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
    pid = stashed_view(Signed, 3)
    :ok = ViewServer.update(pid, {View, :put_count, [3]})
    :ok = ViewServer.update(pid, &LiveStash.stash/1)
    assert length(ViewServer.payloads(pid, @stash)) == 1

    :ok = ViewServer.update(pid, {View, :put_count, [4]})
    assert length(ViewServer.payloads(pid, @stash)) == 2
  end

  test "encrypted tokens do not reveal the stashed values; signed ones are still verified" do
    secret_value = "very-secret-#{System.unique_integer([:positive])}"
    pid = start!(Encrypted, Client.fresh_params())
    :ok = ViewServer.update(pid, {View, :put_count, [secret_value]})
    token = last_token(pid)

    refute token =~ secret_value
    refute inspect(decode_all_segments(token)) =~ secret_value

    pid = reconnect(pid, Encrypted)
    assert %{recover_status: :recovered, count: ^secret_value} = ViewServer.assigns(pid)
  end

  test "a tampered token is :error and the client is told to drop it" do
    pid = stashed_view(Signed, 5)
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

    other = start!(Bound, params, session: %{"user_token" => "mallory"})
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(other)

    same = start!(Bound, params, session: %{"user_token" => "alice"})
    assert %{recover_status: :recovered, count: 5} = ViewServer.assigns(same)
  end

  test "a token for another LiveView is :error" do
    pid = stashed_view(Signed, 5)
    pid = reconnect(pid, Reloadable)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
  end

  test "a version mismatch is :error and the stale stash is dropped" do
    opts = [adapter: BrowserMemory, security_mode: :sign, stored_keys: [:count], version: "v1"]
    view = Define.view!(LiveStash.BrowserMemoryTest.Deployed, opts)
    pid = stashed_view(view, 2)
    params = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)

    Define.view!(LiveStash.BrowserMemoryTest.Deployed, Keyword.put(opts, :version, "v2"))
    pid = start!(view, params)
    assert %{recover_status: :error, count: 0} = ViewServer.assigns(pid)
    assert [[@init, _]] = ViewServer.events(pid)
  end

  test "a payload that is validly signed but not a record is rejected, not crashed on" do
    for data <- ["not a term", :erlang.term_to_binary({:unexpected}), 42] do
      token = Phoenix.Token.sign(Endpoint, "live_stash", data, max_age: 300)
      pid = start!(Signed, %{"_mounts" => 1, "liveStash" => %{"stashedState" => token}})
      assert %{recover_status: :error} = ViewServer.assigns(pid)
    end
  end

  test "binary_to_term is :safe: a token naming unknown atoms is rejected" do
    # a term naming an atom this VM has never seen, built by hand so the atom is not created here
    name = "live_stash_never_seen_atom_#{System.unique_integer([:positive])}"
    bin = <<131, 104, 3, 119, byte_size(name)>> <> name <> <<106, 116, 0, 0, 0, 0>>
    token = Phoenix.Token.sign(Endpoint, "live_stash", bin, max_age: 300)
    pid = start!(Signed, %{"_mounts" => 1, "liveStash" => %{"stashedState" => token}})
    assert %{recover_status: :error} = ViewServer.assigns(pid)
    assert_raise ArgumentError, fn -> String.to_existing_atom(name) end
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

    test "is ignored by default" do
      pid = stashed_view(Signed, 6)
      pid = reconnect(pid, Signed, mounts: 0, restored: true)
      assert %{recover_status: :new, count: 0} = ViewServer.assigns(pid)
      assert [[@init, _]] = ViewServer.events(pid)
    end

    test "still checks the TTL" do
      assigns = LiveStash.Record.new(%{count: 1}, Reloadable, nil)
      data = LiveStash.Record.encode(assigns)
      signed_at = System.system_time(:second) - 301
      token = Phoenix.Token.sign(Endpoint, "live_stash", data, max_age: 300, signed_at: signed_at)
      params = Client.fresh_params(%{"stashedState" => token, "restored" => true})

      pid = start!(Reloadable, params)
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
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
      pid = stashed_view(Short, 8)
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

  defp flip(<<c, rest::binary>>), do: <<if(c == ?A, do: ?B, else: ?A), rest::binary>>

  defp decode_all_segments(token) do
    for part <- String.split(token, "."),
        {:ok, bin} <- [Base.url_decode64(part, padding: false)],
        do: bin
  end
end
