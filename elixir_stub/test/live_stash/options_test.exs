defmodule LiveStash.OptionsTest do
  use ExUnit.Case, async: false

  doctest LiveStash.Options

  import ExUnit.CaptureLog

  alias LiveStash.Adapters.{BrowserMemory, ETS}
  alias LiveStash.Options
  alias LiveStash.Test.{Client, ViewServer}

  defp error(opts) do
    assert_raise ArgumentError, fn -> Options.validate!(opts) end
  end

  test "defaults follow the official library" do
    assert %Options{adapter: ETS, ttl: 300, version: nil, secret: "live_stash", auto_stash: false} =
             Options.validate!(stored_keys: [:count])

    # ours: auto stashes coalesce to one per 500 ms
    assert %Options{auto_stash_interval: 500} = Options.validate!(stored_keys: [:count])
  end

  test "every option error says how to fix it" do
    assert error([]).message =~ "stored_keys: [:count, :user_id]"
    assert error(stored_keys: []).message =~ "non-empty list of atoms"
    assert error(stored_keys: :count).message =~ "non-empty list of atoms"
    assert error(stored_keys: ["count"]).message =~ "list of atoms"

    assert error(stored_keys: [:count], stored_key: [:x]).message =~
             "unknown option(s) [:stored_key]"

    assert error(stored_keys: [:count], ttl: 0).message =~ ":ttl must be a positive number"
    assert error(stored_keys: [:count], ttl: "300").message =~ ":ttl must be a positive number"

    assert error(stored_keys: [:count], secret: "").message =~
             ":secret must be a non-empty string"

    assert error(stored_keys: [:count], session_key: 1).message =~ ":session_key must name"

    assert error(stored_keys: [:count], auto_stash: "yes").message =~
             ":auto_stash must be true or false"

    for bad <- [-1, 1.5, "500", nil] do
      assert error(stored_keys: [:count], auto_stash_interval: bad).message =~
               ":auto_stash_interval must be a whole number of milliseconds, 0 or more"
    end

    assert %Options{auto_stash_interval: 0} =
             Options.validate!(stored_keys: [:count], auto_stash: true, auto_stash_interval: 0)

    assert error(stored_keys: [:count], recover_after_reload: 1).message =~
             "must be true or false"

    assert error(stored_keys: [:count], adapter: "ETS").message =~
             ":adapter must be an adapter module"

    assert error(stored_keys: [:count], adapter: BrowserMemory).message =~
             "needs :security_mode, either :sign or :encrypt"

    assert error(stored_keys: [:count], adapter: BrowserMemory, security_mode: :plain).message =~
             ":security_mode must be :sign or :encrypt"

    assert error([:count]).message =~ "keyword list"
    assert error(%{stored_keys: [:count]}).message =~ "keyword list"
  end

  test "an adapter missing from config :live_stash, adapters: [...] is refused" do
    message = error(stored_keys: [:count], adapter: LiveStash.Adapters.Redis).message
    assert message =~ "is not active"
    assert message =~ "config :live_stash, adapters:"
    assert message =~ "LiveStash.Adapters.Redis"
  end

  test ":migrate takes a capture of a named 2-arity function, with a :version" do
    migrate = &LiveStash.Test.Migrations.to_v2/2

    assert %Options{migrate: ^migrate} =
             Options.validate!(stored_keys: [:count], version: 2, migrate: migrate)

    # An anonymous fn cannot be kept in the LiveView's compiled on_mount options.
    assert error(stored_keys: [:count], version: 2, migrate: fn _, a -> a end).message =~
             "&MyAppWeb.CartLive.migrate_stash/2"

    assert error(stored_keys: [:count], version: 2, migrate: &Map.get/3).message =~ "2-arity"
    assert error(stored_keys: [:count], migrate: migrate).message =~ ":migrate needs :version"
    # Keyword stored_keys stay for adapters written to the official behaviour.
    assert error(stored_keys: [count: :session]).message =~ "list of atoms"
  end

  test "ETS is active even when the config lists nothing" do
    previous = Application.get_env(:live_stash, :adapters)
    Application.delete_env(:live_stash, :adapters)

    try do
      assert %Options{adapter: ETS} = Options.validate!(stored_keys: [:count])

      assert error(stored_keys: [:count], adapter: BrowserMemory, security_mode: :sign).message =~
               "is not active"
    after
      Application.put_env(:live_stash, :adapters, previous)
    end
  end

  test "use LiveStash fails the build on a bad option" do
    ast =
      quote do
        defmodule LiveStash.OptionsTest.Typo do
          use Phoenix.LiveView
          use LiveStash, stored_keys: [:count], tll: 10
        end
      end

    assert_raise ArgumentError, ~r/unknown option\(s\) \[:tll\]/, fn ->
      Code.compile_quoted(ast)
    end
  end

  test "the adapter's activation is checked again on mount, against the runtime config" do
    defmodule LateBrowser do
      use LiveStash.Test.View,
        adapter: LiveStash.Adapters.BrowserMemory,
        security_mode: :sign,
        stored_keys: [:count]
    end

    previous = Application.get_env(:live_stash, :adapters)
    Application.put_env(:live_stash, :adapters, [ETS])

    try do
      capture_log(fn ->
        assert {:error, {%ArgumentError{message: message}, _}} =
                 ViewServer.start(LateBrowser, params: Client.fresh_params())

        assert message =~ "is not active"
      end)
    after
      Application.put_env(:live_stash, :adapters, previous)
    end
  end

  test "LiveStash functions on a view without use LiveStash explain the fix" do
    socket = %Phoenix.LiveView.Socket{view: SomeLive}

    for fun <- [&LiveStash.stash/1, &LiveStash.recover_state/1, &LiveStash.reset_stash/1] do
      assert_raise ArgumentError, ~r/Add `use LiveStash, stored_keys: \[...\]`/, fn ->
        fun.(socket)
      end
    end
  end
end
