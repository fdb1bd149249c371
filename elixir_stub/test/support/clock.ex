defmodule LiveStash.Test.Clock do
  @moduledoc """
  The suite's clocks (see `LiveStash.Clock`): the system's wall and monotonic clocks, both
  moved forward by `advance/1`. The `Phoenix.Token` double reads it too, so a token sealed
  before an `advance` is that much older after it, as it would be had the time passed.

  VM-wide: only a test with `async: false` may move it, and it must `reset/0` after. The
  test server's bridge moves it for the browser suite, instead of the OS clock.
  """

  @offset {__MODULE__, :offset_ms}

  @doc "As `System.system_time/1`, plus the offset."
  def system_time(unit), do: System.system_time(unit) + offset(unit)

  @doc "As `System.monotonic_time/1`, plus the offset."
  def monotonic_time(unit), do: System.monotonic_time(unit) + offset(unit)

  @doc "Moves the clocks `seconds` forward (back, when negative: a fixture's past)."
  def advance(seconds), do: advance_ms(round(seconds * 1000))

  @doc "Moves the clocks `ms` forward."
  def advance_ms(ms) when is_integer(ms),
    do: :persistent_term.put(@offset, :persistent_term.get(@offset, 0) + ms)

  @doc "Back to the system's time."
  def reset do
    _ = :persistent_term.erase(@offset)
    :ok
  end

  defp offset(unit),
    do: System.convert_time_unit(:persistent_term.get(@offset, 0), :millisecond, unit)
end
