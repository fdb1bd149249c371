defmodule LiveStash.Bridge.Setup do
  @moduledoc false
  # What a Phoenix app's config and supervision tree would give the library: the adapters
  # switched on (Redis pointed at a redis-server of its own on
  # a free port, which dies with this VM), then the :live_stash application started.

  alias LiveStash.Adapters

  def run(frame) do
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

  @doc "Moves the library's clocks `ms` forward (`LiveStash.Clock`, compiled against `LiveStash.Test.Clock`)."
  def advance_clock(ms), do: LiveStash.Test.Clock.advance_ms(ms)

  # One redis-cli run however many keys there are: the suites move the clock hundreds of times.
  @age """
  local ms = tonumber(ARGV[1])
  for _, key in ipairs(redis.call('KEYS', '*')) do
    local ttl = redis.call('PTTL', key)
    if ttl >= 0 and ttl <= ms then redis.call('DEL', key)
    elseif ttl > ms then redis.call('PEXPIRE', key, ttl - ms) end
  end
  return 0
  """

  @doc """
  Time moved forward by `ms` for the redis-server too: every key's TTL shortened by that
  much (gone when it runs out), since the redis-server keeps its own time.
  """
  def advance_redis(ms) do
    case :persistent_term.get({__MODULE__, :redis}, nil) do
      nil -> :ok
      server -> LiveStash.Test.RedisServer.command!(server, ["EVAL", @age, "0", "#{ms}"])
    end
  end

  defp start_redis! do
    # Owned by the connection: it lives and dies with the bridge.
    {:ok, server} = LiveStash.Test.RedisServer.start_link([])
    :persistent_term.put({__MODULE__, :redis}, server)
    server
  end
end
