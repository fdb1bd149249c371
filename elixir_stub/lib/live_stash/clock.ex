defmodule LiveStash.Clock do
  @moduledoc false
  # The clocks that seal times, leases and row expiries are read from. The suite and the
  # test server's bridge swap the source (`config :live_stash, clock: ...`) so that a test
  # can live through a day of keep-alive beats, or past a ttl, without waiting for it; an
  # app always gets `System`. Timers and retry budgets stay on the VM's own clock.
  @source Application.compile_env(:live_stash, :clock, System)

  @spec now() :: integer()
  def now, do: @source.system_time(:second)

  # Redis rows' expiry inside their MAC.
  @spec now_ms() :: integer()
  def now_ms, do: @source.system_time(:millisecond)

  # ETS row expiries: monotonic, so a wall-clock step on the node neither expires nor
  # revives a row.
  @spec monotonic_ms() :: integer()
  def monotonic_ms, do: @source.monotonic_time(:millisecond)
end
