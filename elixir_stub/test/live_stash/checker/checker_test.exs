defmodule LiveStash.CheckerTest do
  @moduledoc """
  The fault-schedule checker (issue 21), bounded for the normal suite: per adapter, a
  fixed list of seeds, then fresh seeds for a few seconds, each a list of random commands
  on two real `:peer` nodes. A failure prints its seed and its shrunk command list;
  `npm run soak -- --seconds N` runs the same checker for longer.
  """
  use ExUnit.Case, async: false

  # Refused stashes log a warning each, by design.
  @moduletag :capture_log
  @moduletag :checker
  @moduletag timeout: 240_000

  alias LiveStash.Test.Checker

  # Seeds that found a loss path of issue 21 on the code before its fixes (see the
  # guide, guides/reliability.md): ETS, a sibling view on another node takes the owner's
  # row; BrowserMemory + auto_stash, the last change is not pushed before the socket
  # drops; Redis, a recovery during a 1 s stall gives :error; Mnesia, a late delete
  # removes a newer write.
  @seeds %{
    ets: [399_856_448, 937_775_310],
    browser: [259_041_515, 290_547_139],
    redis: [66_423_871],
    mnesia: [940_042_550]
  }
  @fresh_seconds 8

  for adapter <- Checker.adapters() do
    test "#{adapter}: every recovery gives the newest completed state, a newer pending one, or nothing where allowed" do
      result =
        Checker.check(unquote(adapter),
          seeds: @seeds[unquote(adapter)],
          seconds: @fresh_seconds,
          shrink_seconds: 20
        )

      IO.puts(Checker.summary(result))
      assert result.anomalies == [], Enum.map_join(result.anomalies, "\n\n", &Checker.format/1)
    end
  end
end
