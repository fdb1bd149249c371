defmodule LiveStash.Clock do
  @moduledoc false
  # The wall clock that seal times and their bounds are read from. The suite swaps the
  # source (`config :live_stash, clock: ...`) so that a test can live through a day of
  # keep-alive beats without waiting for it; an app always gets `System`.
  @source Application.compile_env(:live_stash, :clock, System)

  @spec now() :: integer()
  def now, do: @source.system_time(:second)

  # Redis rows' expiry inside their MAC.
  @spec now_ms() :: integer()
  def now_ms, do: @source.system_time(:millisecond)
end
