defmodule LiveStash.Bridge.Setup do
  @moduledoc false
  # What a Phoenix app's config and supervision tree would give the library: the adapters
  # switched on (Redis pointed at a redis-server of its own on
  # a free port, which dies with this VM), then the :live_stash application started.

  alias LiveStash.Adapters

  def run(frame) do
    :persistent_term.put({__MODULE__, :clock}, frame["clock_file"])

    Application.put_env(
      :mnesia,
      :dir,
      String.to_charlist(frame["mnesia_dir"] || System.tmp_dir!())
    )

    redis = if frame["redis"], do: start_redis!()

    Application.put_all_env(
      live_stash: [
        adapters:
          [Adapters.ETS, Adapters.BrowserMemory, Adapters.Mnesia] ++
            if(redis, do: [Adapters.Redis], else: []),
        redis: redis && LiveStash.Test.RedisServer.url(redis)
      ]
    )

    {:ok, _} = Application.ensure_all_started(:live_stash)
    # The compiler and the library's macros loaded now, not on the first join.
    LiveStash.Bridge.Modules.view!("LiveStash.Bridge.Warm", %{"stored_keys" => ["x"]})
    %{redis_port: redis && LiveStash.Test.RedisServer.port(redis), os_pid: System.pid()}
  end

  @doc "Moves this VM's clock to `offset_ms` past the real one (libfaketime reads the file on every call)."
  def advance_clock(offset_ms) do
    case :persistent_term.get({__MODULE__, :clock}, nil) do
      nil -> :ok
      file -> File.write!(file, "+#{:erlang.float_to_binary(offset_ms / 1000, decimals: 3)}\n")
    end
  end

  @doc """
  Time moved forward by `ms` for the redis-server too: every key's TTL shortened by that
  much (gone when it runs out). The VM's own clock is moved by libfaketime, which
  redis-server (jemalloc) cannot run under.
  """
  def advance_redis(ms) do
    case :persistent_term.get({__MODULE__, :redis}, nil) do
      nil -> :ok
      server -> Enum.each(keys(server), &shorten(server, &1, ms))
    end
  end

  defp keys(server) do
    server |> LiveStash.Test.RedisServer.command!(["KEYS", "*"]) |> String.split("\n", trim: true)
  end

  defp shorten(server, key, ms) do
    ttl = server |> LiveStash.Test.RedisServer.command!(["PTTL", key]) |> String.to_integer()

    cond do
      ttl < 0 -> :ok
      ttl <= ms -> LiveStash.Test.RedisServer.command!(server, ["DEL", key])
      true -> LiveStash.Test.RedisServer.command!(server, ["PEXPIRE", key, "#{ttl - ms}"])
    end
  end

  defp start_redis! do
    # redis-server and redis-cli run on the real clock (see advance_redis/1).
    System.delete_env("LD_PRELOAD")
    # Owned by the connection: it lives and dies with the bridge.
    {:ok, server} = LiveStash.Test.RedisServer.start_link([])
    :persistent_term.put({__MODULE__, :redis}, server)
    server
  end
end
