defmodule LiveStash.RedisClientTest do
  @moduledoc "The Redis config forms, and how each client library's calls and replies are mapped."
  use ExUnit.Case, async: true

  alias LiveStash.Adapters.Redis.{Config, Eredis, Redix, Script}
  alias LiveStash.Test.RedixDouble

  describe "config" do
    test "a URI string" do
      assert %Config{host: "cache.internal", port: 6380, database: 2, password: nil, ssl: false} =
               Config.parse!("redis://cache.internal:6380/2")
    end

    test "a URI with credentials, TLS and defaults" do
      assert %Config{host: "h", port: 6379, database: 0, username: nil, password: "s3cr:et"} =
               Config.parse!("redis://:s3cr%3Aet@h")

      assert %Config{username: "app", password: "pw", ssl: true} =
               Config.parse!("rediss://app:pw@h:6379")
    end

    test "{uri, opts}: the options win and unknown ones are kept for Redix" do
      assert %Config{host: "h", database: 5, timeout: 200, extra: [socket_opts: [:inet6]]} =
               Config.parse!({"redis://h/1", database: 5, timeout: 200, socket_opts: [:inet6]})
    end

    test "a keyword list" do
      assert %Config{host: "localhost", port: 7000, database: 0} =
               Config.parse!(host: "localhost", port: 7000)
    end

    test "bad config is a clear error that never shows the password" do
      error = assert_raise ArgumentError, fn -> Config.parse!("http://:hunter2@h/0") end
      assert error.message =~ "redis://"
      refute error.message =~ "hunter2"

      assert_raise ArgumentError, ~r/database/, fn -> Config.parse!("redis://h/x") end
      assert_raise ArgumentError, ~r/port/, fn -> Config.parse!(host: "h", port: 0) end
      assert_raise ArgumentError, ~r/timeout/, fn -> Config.parse!(host: "h", timeout: :never) end
      assert_raise ArgumentError, ~r/URI string/, fn -> Config.parse!(42) end
    end
  end

  describe "Redix mapping (against a double)" do
    test "start_link passes the config as Redix options, connecting in the background" do
      config = Config.parse!({"rediss://u:p@h:1234/3", test_pid: self()})
      {:ok, _} = Redix.start_link(RedixDouble, config, :conn_name)
      assert_received {:redix_start_link, opts}

      assert opts[:host] == "h" and opts[:port] == 1234 and opts[:database] == 3
      assert opts[:username] == "u" and opts[:password] == "p" and opts[:ssl] == true
      assert opts[:name] == :conn_name
      assert opts[:sync_connect] == false and opts[:exit_on_disconnection] == false
    end

    test "a command goes out as given, bounded by the timeout" do
      RedixDouble.reply({:ok, "OK"})
      assert {:ok, "OK"} = Redix.command(RedixDouble, :conn, ["SET", "k", "v", "PX", "10"], 250)
      assert_received {:redix_command, :conn, ["SET", "k", "v", "PX", "10"], [timeout: 250]}
    end

    test "replies map onto the shared shape" do
      for {reply, expected} <- [
            {{:ok, nil}, {:ok, nil}},
            {{:ok, "bytes"}, {:ok, "bytes"}},
            {{:ok, 1}, {:ok, 1}},
            {{:error, RedixDouble.redis_error("WRONGTYPE no")},
             {:error, {:redis, "WRONGTYPE no"}}},
            {{:error, RedixDouble.connection_error(:closed)}, {:error, :closed}},
            {{:error, RedixDouble.connection_error(:timeout)}, {:error, :timeout}},
            {{:exit, {:noproc, {GenServer, :call, []}}}, {:error, :no_connection}}
          ] do
        RedixDouble.reply(reply)
        assert Redix.command(RedixDouble, :conn, ["GET", "k"], 100) == expected, inspect(reply)
      end
    end
  end

  describe "the compare-and-set script over Redix (against a double)" do
    # Redix's replies for each command, as a Redis that does not know the script yet gives them.
    defp redix(replies) do
      fn [command | _] = args ->
        RedixDouble.reply(Map.fetch!(replies, command))
        Redix.command(RedixDouble, :conn, args, 100)
      end
    end

    test "EVALSHA first; a Redis that lost the script (NOSCRIPT) gets it with EVAL" do
      noscript = {:error, RedixDouble.redis_error("NOSCRIPT No matching script.")}
      command = redix(%{"EVALSHA" => noscript, "EVAL" => {:ok, 1}})

      assert Script.run("k", "v", 10, 7, :put, command) == {:ok, :written}

      assert_received {:redix_command, :conn, ["EVALSHA", sha, "1", "k", "v", "10", "7", "put"],
                       _}

      assert byte_size(sha) == 40

      assert_received {:redix_command, :conn, ["EVAL", source, "1", "k", "v", "10", "7", "put"],
                       _}

      assert :crypto.hash(:sha, source) |> Base.encode16(case: :lower) == sha
    end

    test "Redix's integer replies: 1 written, 0 a newer row is stored; errors pass through" do
      assert Script.run("k", "v", 10, 1, :touch, redix(%{"EVALSHA" => {:ok, 0}})) == {:ok, :stale}
      assert Script.run("k", "v", 10, 1, :put, redix(%{"EVALSHA" => {:ok, 1}})) == {:ok, :written}

      down = {:error, RedixDouble.connection_error(:closed)}
      assert Script.run("k", "v", 10, 1, :put, redix(%{"EVALSHA" => down})) == {:error, :closed}
    end
  end

  describe "eredis mapping" do
    test "options: charlists, a background reconnect, the timeout bounds connecting" do
      opts = Eredis.options(Config.parse!({"redis://:pw@h:1234/3", timeout: 300}))
      assert opts[:host] == ~c"h" and opts[:port] == 1234 and opts[:database] == 3
      assert opts[:password] == ~c"pw"
      assert is_integer(opts[:reconnect_sleep]) and opts[:connect_timeout] == 300
    end

    test "replies map onto the shared shape" do
      assert Eredis.reply({:ok, :undefined}) == {:ok, nil}
      assert Eredis.reply({:ok, "OK"}) == {:ok, "OK"}
      assert Eredis.reply({:error, "ERR bad"}) == {:error, {:redis, "ERR bad"}}
      assert Eredis.reply({:error, :no_connection}) == {:error, :no_connection}
    end

    test "a connection that is not running is an error, not an exit" do
      assert Eredis.command(:no_such_connection, ["PING"], 100) == {:error, :no_connection}
    end

    test "TLS and ACL usernames are refused with a pointer to Redix" do
      assert_raise ArgumentError, ~r/redix/, fn ->
        Eredis.start_link(Config.parse!("rediss://h"), :x)
      end

      assert_raise ArgumentError, ~r/redix/, fn ->
        Eredis.start_link(Config.parse!("redis://user:pw@h"), :x)
      end
    end
  end

  test "without Redix the suite runs the eredis path" do
    refute Code.ensure_loaded?(Elixir.Redix)
    assert LiveStash.Adapters.Redis.Client.impl() == Eredis
  end

  describe "no client library on the code path" do
    # Elixir 1.15+ prunes Debian's package off the code path; this suite's Elixir does
    # not, so the lookup is played: nothing loads, and OTP's lib dir is a temporary one.
    @tag :tmp_dir
    test "with Debian's package installed, the error names the pruning and the fix", %{
      tmp_dir: lib_dir
    } do
      ebin = Path.join([lib_dir, "redis_client-1.2.0", "ebin"])
      File.mkdir_p!(ebin)
      File.write!(Path.join(ebin, "eredis.beam"), "")

      error =
        assert_raise ArgumentError, fn ->
          LiveStash.Adapters.Redis.Client.impl(fn _module -> false end, lib_dir)
        end

      assert error.message =~ "erlang-redis-client package is installed (#{ebin})"
      assert error.message =~ "prunes the code paths"
      assert error.message =~ "`prune_code_paths: false` to the `project` list in your mix.exs"
      refute error.message =~ "needs a Redis client library"
    end

    @tag :tmp_dir
    test "with nothing installed, the error says what to add", %{tmp_dir: lib_dir} do
      error =
        assert_raise ArgumentError, fn ->
          LiveStash.Adapters.Redis.Client.impl(fn _module -> false end, to_charlist(lib_dir))
        end

      assert error.message =~ "needs a Redis client library"
      assert error.message =~ "{:redix, \"~> 1.1\"}"
      refute error.message =~ "prune_code_paths"
    end
  end
end
