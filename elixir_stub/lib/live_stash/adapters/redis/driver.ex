defmodule LiveStash.Adapters.Redis.Driver do
  @moduledoc false
  # What `LiveStash.Adapters.Redis.Client` needs of a Redis client library: the
  # behaviour of `Redis.Redix` and `Redis.Eredis`. Apart from the client, so the drivers
  # and the client that picks one do not depend on each other.

  alias LiveStash.Adapters.Redis.Config

  @type reply :: nil | binary() | integer() | [reply()]

  @doc "Starts the connection; it must not fail while Redis is down, only reconnect."
  @callback start_link(Config.t(), name :: atom()) :: GenServer.on_start()

  @doc "Runs one command; `nil` for a missing value, `{:error, _}` for any failure."
  @callback command(name :: atom(), [binary()], timeout()) :: {:ok, reply()} | {:error, term()}
end
