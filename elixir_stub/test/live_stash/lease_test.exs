defmodule LiveStash.LeaseTest do
  @moduledoc """
  The BrowserMemory lease rules: idle beats cost a small lease, not the stash; a token
  alone lives the ttl from its signing; past that it needs a fresh lease for exactly that
  token; and nothing outlives the token's absolute bound. Old tokens are built with
  `signed_at`, and beats are triggered by hand, so nothing here waits on a clock.
  """
  use ExUnit.Case, async: true

  # Rejected tokens and leases log a warning each, by design; shown only on failure.
  @moduletag :capture_log

  alias LiveStash.Lease
  alias LiveStash.Test.{Client, Endpoint, Tokens, View, ViewServer, Wire}
  alias LiveStash.Test.BrowserCounter, as: Encrypted
  alias LiveStash.Test.SignedBrowserCounter, as: Signed
  import LiveStash.Test.Flow, except: [rejoin: 3]

  @stash "live-stash:stash-state"
  @lease "live-stash:lease"
  @init "live-stash:init-browser-memory"
  @ttl 300

  defmodule Bound do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      session_key: :user_token,
      stored_keys: [:count]
  end

  defp names(events), do: Enum.map(events, &hd/1)
  defp now, do: System.system_time(:second)

  # Every hand-made token is for the view on this page.
  @page "phx-F1ease-page"

  # A token for `view` as the shim signs it, `age` seconds ago (`session:` a binding).
  defp old_token(view, count, age, opts \\ []) do
    record = Tokens.record(view, @page, %{count: count}, Keyword.take(opts, [:session]))
    Tokens.token(record, [age: age] ++ Keyword.take(opts, [:encrypt]))
  end

  defp lease_for(token, opts \\ []) do
    issued_at = Keyword.get(opts, :issued_at, now() - 400)

    Phoenix.Token.sign(
      Endpoint,
      "live_stash/lease",
      {Lease.digest(token), issued_at, opts[:session]},
      max_age: @ttl,
      signed_at: now() - Keyword.get(opts, :age, 0)
    )
  end

  defp rejoin(view, entry, opts \\ []) do
    start!(view, %{"_mounts" => 1, "liveStash" => entry}, [id: @page] ++ opts)
  end

  describe "idle traffic" do
    test "each beat pushes a lease, never the token, and its size does not grow with the stash" do
      small = stashed_view(Signed, 1, id: "phx-F1a2b3c4d5e6f7g8", official: true)

      big =
        stashed_view(Signed, String.duplicate("x", 65_536),
          id: "phx-F1a2b3c4d5e6f7g9",
          official: true
        )

      for _ <- 1..3, do: beat(small)
      for _ <- 1..3, do: beat(big)

      for pid <- [small, big] do
        events = ViewServer.events(pid)
        assert names(events) == [@init, @stash, @lease, @lease, @lease]
      end

      frame = fn pid, id ->
        [_, _ | leases] = ViewServer.events(pid)
        Enum.map(leases, &Wire.frame_bytes(id, [&1]))
      end

      small_frames = frame.(small, "phx-F1a2b3c4d5e6f7g8")
      big_frames = frame.(big, "phx-F1a2b3c4d5e6f7g9")
      assert Enum.all?(small_frames ++ big_frames, &(&1 <= 300)), inspect(big_frames)
      assert Enum.max(big_frames) - Enum.min(small_frames) <= 4
    end

    test "a lease names the view and is bound to the token it extends" do
      pid = stashed_view(Signed, 2, id: "phx-l", official: true)
      [%{assigns: token}] = ViewServer.payloads(pid, @stash)
      beat(pid)
      assert [%{lease: lease, view: "phx-l"}] = ViewServer.payloads(pid, @lease)
      assert {:ok, _} = Lease.verify(Endpoint, "live_stash", lease, Lease.digest(token), @ttl)

      assert {:error, :invalid} =
               Lease.verify(Endpoint, "live_stash", lease, Lease.digest("x"), @ttl)
    end

    test "encrypted stashes are leased the same way" do
      pid = stashed_view(Encrypted, 3, official: true)
      assert names(beat(pid)) == [@init, @stash, @lease]
      pid = reconnect(pid, Encrypted)
      assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(pid)
    end
  end

  describe "recovery" do
    test "a recovering reconnect answers with a lease, not the stash it was just sent" do
      pid = stashed_view(Signed, 4, id: "phx-r")
      beat(pid)
      pid = reconnect(pid, Signed, id: "phx-r")
      assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(pid)
      assert names(ViewServer.events(pid)) == [@lease]

      # and its later beats keep leasing that same token
      assert names(beat(pid)) == [@lease, @lease]
      assert %{recover_status: :recovered, count: 4} = ViewServer.assigns(reconnect(pid, Signed))
    end

    test "a token alone is accepted within the ttl of its signing: the official client recovers" do
      pid = stashed_view(Signed, 5, official: true)
      beat(pid)
      pid = reconnect(pid, Signed, official: true)
      assert %{recover_status: :recovered, count: 5} = ViewServer.assigns(pid)

      token = old_token(Signed, 5, @ttl + 1)

      assert %{recover_status: :not_found} =
               ViewServer.assigns(rejoin(Signed, %{"stashedState" => token}))
    end

    test "a token past the ttl recovers with a fresh lease for it, and keeps recovering" do
      token = old_token(Signed, 6, 400)
      pid = rejoin(Signed, %{"stashedState" => token, "lease" => lease_for(token)})
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
      assert [[@lease, %{lease: _}]] = ViewServer.events(pid)

      # the lease the view pushed is what the next reconnect hands back
      pid = reconnect(pid, Signed)
      assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
    end

    test "after a stash, the new token is recovered and the old token's lease is worth nothing" do
      token = old_token(Signed, 1, 400)
      pid = rejoin(Signed, %{"stashedState" => token, "lease" => lease_for(token)})
      :ok = ViewServer.update(pid, {View, :put_count, [2]})
      [%{assigns: new_token}] = ViewServer.payloads(pid, @stash)
      refute new_token == token

      [%{lease: old_lease}] = ViewServer.payloads(pid, @lease)
      pid = rejoin(Signed, %{"stashedState" => new_token, "lease" => old_lease})
      # the new token is within its ttl on its own; the stray lease does not matter
      assert %{recover_status: :recovered, count: 2} = ViewServer.assigns(pid)
    end
  end

  describe "security" do
    test "an expired lease recovers nothing" do
      token = old_token(Signed, 7, 700)
      lease = lease_for(token, age: @ttl + 1)
      pid = rejoin(Signed, %{"stashedState" => token, "lease" => lease})
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(pid)
      assert [[@init, _]] = ViewServer.events(pid)
    end

    test "a lease is useless without its token" do
      token = old_token(Signed, 8, 400)
      other = old_token(Signed, 9, 400)
      lease = lease_for(token)

      assert %{recover_status: :error} =
               ViewServer.assigns(rejoin(Signed, %{"stashedState" => other, "lease" => lease}))

      assert %{recover_status: :error} =
               ViewServer.assigns(rejoin(Signed, %{"stashedState" => lease}))

      assert %{recover_status: :not_found} =
               ViewServer.assigns(rejoin(Signed, %{"lease" => lease}))
    end

    test "a tampered lease, or a stash token passed off as a lease, is :error" do
      token = old_token(Signed, 8, 400)
      [head, body, mac] = String.split(lease_for(token), ".")
      forged = Enum.join([head, body, String.reverse(mac)], ".")

      assert %{recover_status: :error, count: 0} =
               ViewServer.assigns(rejoin(Signed, %{"stashedState" => token, "lease" => forged}))

      fresh = old_token(Signed, 8, 0)

      assert %{recover_status: :error} =
               ViewServer.assigns(rejoin(Signed, %{"stashedState" => token, "lease" => fresh}))
    end

    test "a token and lease from another session are :error" do
      opts = [adapter: LiveStash.Adapters.BrowserMemory, security_mode: :sign]

      options =
        LiveStash.Options.validate!([session_key: :user_token, stored_keys: [:count]] ++ opts)

      session = LiveStash.Secret.binding(options, %{"user_token" => "alice"}, Endpoint)
      token = old_token(Bound, 1, 400, session: session)
      entry = %{"stashedState" => token, "lease" => lease_for(token, session: session)}

      alice = rejoin(Bound, entry, session: %{"user_token" => "alice"})
      assert %{recover_status: :recovered, count: 1} = ViewServer.assigns(alice)

      mallory = rejoin(Bound, entry, session: %{"user_token" => "mallory"})
      assert %{recover_status: :error, count: 0} = ViewServer.assigns(mallory)

      # Alice's token with a lease naming no session (or another) recovers nothing either.
      for lease <- [lease_for(token), lease_for(token, session: :crypto.hash(:sha256, "x"))] do
        entry = %{"stashedState" => token, "lease" => lease}
        alice = rejoin(Bound, entry, session: %{"user_token" => "alice"})
        assert %{recover_status: :error, count: 0} = ViewServer.assigns(alice)
      end
    end

    test "a lease in the layout before session bindings (no session) is :error" do
      token = old_token(Signed, 1, 400)

      lease =
        Phoenix.Token.sign(Endpoint, "live_stash/lease", {Lease.digest(token), now() - 400},
          max_age: @ttl
        )

      entry = %{"stashedState" => token, "lease" => lease}
      assert %{recover_status: :error, count: 0} = ViewServer.assigns(rejoin(Signed, entry))

      assert %{recover_status: :recovered} =
               ViewServer.assigns(rejoin(Signed, %{entry | "lease" => lease_for(token)}))
    end

    test "a leased token for another LiveView is :not_found, and left to it" do
      token = old_token(Encrypted, 1, 400, encrypt: true)
      entry = %{"stashedState" => token, "lease" => lease_for(token)}
      assert %{recover_status: :recovered} = ViewServer.assigns(rejoin(Encrypted, entry))

      token = old_token(Signed, 1, 400, encrypt: true)
      entry = %{"stashedState" => token, "lease" => lease_for(token)}

      ExUnit.CaptureLog.capture_log(fn ->
        pid = rejoin(Encrypted, entry)
        assert %{recover_status: :not_found} = ViewServer.assigns(pid)
        assert ViewServer.events(pid) == []
      end)
    end

    test "no token outlives its absolute bound, even with a fresh lease" do
      token = old_token(Signed, 1, Lease.bound(@ttl) + 10)
      entry = %{"stashedState" => token, "lease" => lease_for(token)}
      assert %{recover_status: :not_found, count: 0} = ViewServer.assigns(rejoin(Signed, entry))
    end
  end

  test "a token near its bound is re-issued once by the keep-alive, then leased again" do
    signed_at = Lease.bound(@ttl) - 100
    token = old_token(Signed, 3, signed_at)
    lease = lease_for(token, issued_at: now() - signed_at)
    pid = rejoin(Signed, %{"stashedState" => token, "lease" => lease})
    assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(pid)

    assert names(beat(pid)) == [@lease, @stash]
    assert names(beat(pid)) == [@lease, @stash, @lease]
    assert %{recover_status: :recovered, count: 3} = ViewServer.assigns(reconnect(pid, Signed))
  end

  test "the connect params carry the lease only next to a browser token" do
    params = Client.fresh_params(%{"stashId" => "abc", "lease" => "x"})
    assert %LiveStash.ConnectParams{lease: nil} = LiveStash.ConnectParams.parse(params)

    params =
      Client.fresh_params(%{"stashedState" => "t", "lease" => String.duplicate("x", 10_000)})

    assert %LiveStash.ConnectParams{lease: nil} = LiveStash.ConnectParams.parse(params)
  end
end
