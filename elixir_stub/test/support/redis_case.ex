defmodule LiveStash.Test.RedisCase do
  @moduledoc """
  Set-up shared by the Redis suites: a real redis-server for the module and the app
  restarted with the Redis adapter active. Views that use the adapter are defined at
  runtime (`LiveStash.Test.Define`), since `use LiveStash` refuses an adapter that is
  not active when the module compiles.
  """

  import ExUnit.Callbacks

  alias LiveStash.Adapters.Redis.Client
  alias LiveStash.Test.RedisServer

  @doc "For `setup_all`: starts the server, activates the adapter; returns `%{redis: pid}`."
  def start_redis!(extra_env \\ []) do
    redis = start_supervised!(RedisServer)
    restore = RedisServer.activate!(redis, extra_env)
    on_exit(restore)
    wait_connected!()
    %{redis: redis}
  end

  @doc "The count stored in Redis for `stash_id`, read through `node`'s connection, or nil."
  def redis_count(node, stash_id) do
    key = LiveStash.Adapters.Redis.key("live_stash", stash_id)

    case :erpc.call(node, Client, :command, [["GET", key]]) do
      {:ok, nil} -> nil
      {:ok, value} -> LiveStash.Test.AdapterCases.count_of(open_row(key, value))
    end
  end

  @doc "The record in a Redis value written for the \"live_stash\" secret, once its MAC verified."
  def open_row(key, value),
    do: LiveStash.Adapters.Redis.Row.open(LiveStash.Test.Endpoint, "live_stash", key, value)

  @doc "Waits (loosely) until the app's connection answers, e.g. after a restart."
  def wait_connected!(tries \\ 250) do
    case Client.command(["PING"]) do
      {:ok, "PONG"} -> :ok
      _ when tries > 0 -> Process.sleep(20) && wait_connected!(tries - 1)
      other -> raise "the Redis connection did not come up: #{inspect(other)}"
    end
  end
end
