defmodule LiveStash.Test.Clock do
  @moduledoc """
  The suite's wall clock (see `LiveStash.Clock`): the system's, moved forward by
  `advance/1`. The `Phoenix.Token` double reads it too, so a token sealed before an
  `advance` is that much older after it, as it would be had the time passed.

  VM-wide: only a test with `async: false` may move it, and it must `reset/0` after.
  """

  @offset {__MODULE__, :offset}

  @doc "As `System.system_time/1`, plus the offset."
  def system_time(unit),
    do: System.system_time(unit) + System.convert_time_unit(offset(), :second, unit)

  @doc "Moves the clock `seconds` forward."
  def advance(seconds), do: :persistent_term.put(@offset, offset() + seconds)

  @doc "Back to the system's time."
  def reset do
    _ = :persistent_term.erase(@offset)
    :ok
  end

  defp offset, do: :persistent_term.get(@offset, 0)
end
