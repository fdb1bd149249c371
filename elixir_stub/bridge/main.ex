defmodule LiveStash.Bridge do
  @moduledoc false
  # Entry point: `elixir -pa <ebin> -e 'LiveStash.Bridge.main()'`, started by the Node server
  # (liveview-server/bridge/), which listens on the loopback port in LIVE_STASH_BRIDGE_PORT.
  # The VM stops when that connection does.

  def main do
    port = System.fetch_env!("LIVE_STASH_BRIDGE_PORT")
    {:ok, conn} = LiveStash.Bridge.Connection.start(String.to_integer(port))
    ref = Process.monitor(conn)

    receive do
      {:DOWN, ^ref, :process, _pid, reason} ->
        IO.puts(:stderr, "live_stash bridge: connection ended: #{inspect(reason)}")
        System.halt(1)
    end
  end
end
