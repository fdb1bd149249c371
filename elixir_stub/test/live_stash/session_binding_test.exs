defmodule LiveStash.SessionBindingTest do
  @moduledoc """
  `session_key` binds a stash to a session without a token salt per session: the
  binding travels inside the signed or encrypted payload (record and lease), so
  Plug.Crypto's key cache (`Plug.Crypto.Keys`, never evicted) holds a fixed number of
  entries per configuration, however many users come by.
  """
  # Counts entries of a VM-wide table: no other test may sign meanwhile.
  use ExUnit.Case, async: false

  import LiveStash.Test.Flow

  alias LiveStash.Test.ViewServer

  defmodule Signed do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      session_key: "user_token",
      stored_keys: [:count]
  end

  defmodule Encrypted do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :encrypt,
      session_key: "user_token",
      stored_keys: [:count]
  end

  defmodule Server do
    use LiveStash.Test.View, session_key: "user_token", stored_keys: [:count]
  end

  defp session(n), do: %{"user_token" => "user-#{n}-#{System.unique_integer([:positive])}"}
  defp key_cache_size, do: :ets.info(LiveStash.Test.PlugCryptoKeys.table(), :size)

  # A user's whole stash life: stash, a keep-alive beat (a lease), a recovering reconnect.
  defp visit(view, session) do
    pid = stashed_view(view, 7, session: session)
    beat(pid)
    pid = reconnect(pid, view, session: session)
    %{recover_status: status, count: count} = ViewServer.assigns(pid)
    ViewServer.stop(pid)
    {status, count}
  end

  test "distinct sessions add no entry to Plug.Crypto.Keys" do
    for view <- [Signed, Encrypted, Server] do
      # The configuration's fixed salts (stash, lease, node hint) are derived once.
      {:recovered, 7} = visit(view, session(0))
      before = key_cache_size()

      for n <- 1..100, do: assert(visit(view, session(n)) == {:recovered, 7})

      assert key_cache_size() == before, "#{inspect(view)} grew the key cache per session"
    end
  end

  test "the binding inside the payload still keeps one session from another's stash" do
    for view <- [Signed, Encrypted] do
      alice = session(:alice)
      pid = stashed_view(view, 5, session: alice)
      beat(pid)
      params = LiveStash.Test.Client.join_params(ViewServer.events(pid))
      page = ViewServer.identity(pid)

      ExUnit.CaptureLog.capture_log(fn ->
        mallory = start!(view, params, [session: session(:mallory)] ++ page)
        assert %{recover_status: :error, count: 0} = ViewServer.assigns(mallory)
      end)

      same = start!(view, params, [session: alice] ++ page)
      assert %{recover_status: :recovered, count: 5} = ViewServer.assigns(same)
    end
  end
end

defmodule LiveStash.SessionBindingMacTest do
  @moduledoc """
  The session binding is a keyed MAC of the session value under a key derived from the
  endpoint's `secret_key_base` (issue 21): a signed token is readable in the browser's
  sessionStorage, and a plain hash of a value with few possibilities (a `user_id`) would
  give that value away.
  """
  use ExUnit.Case, async: true

  import LiveStash.Test.Flow

  alias LiveStash.Secret
  alias LiveStash.Test.{Endpoint, ViewServer}

  defmodule Signed do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      session_key: "user_id",
      stored_keys: [:count]
  end

  defmodule OtherEndpoint do
    def config(:secret_key_base), do: String.duplicate("another-app-key-base/", 3)
    def config(_), do: nil
  end

  @user_id 42
  defp plain_hash(value),
    do: :crypto.hash(:sha256, :erlang.term_to_binary(value, [:deterministic]))

  test "a signed token does not carry the session value's plain SHA-256" do
    pid = stashed_view(Signed, 1, session: %{"user_id" => @user_id}, official: true)
    [%{assigns: token}] = ViewServer.payloads(pid, "live-stash:stash-state")
    [_, body, _mac] = String.split(token, ".")
    readable = Base.url_decode64!(body, padding: false)

    assert :binary.match(readable, plain_hash(@user_id)) == :nomatch
    assert :binary.match(readable, ViewServer.socket(pid).private.live_stash.session) != :nomatch
  end

  test "the binding is not SHA-256(session); another secret_key_base gives another one" do
    options = LiveStash.Options.validate!(session_key: "user_id", stored_keys: [:count])
    session = %{"user_id" => @user_id}
    binding = Secret.binding(options, session, Endpoint)

    assert byte_size(binding) == 32
    assert binding == Secret.binding(options, session, Endpoint)
    refute binding == plain_hash(@user_id)
    refute binding == Secret.binding(options, session, OtherEndpoint)
    refute binding == Secret.binding(options, %{"user_id" => 43}, Endpoint)
  end
end
