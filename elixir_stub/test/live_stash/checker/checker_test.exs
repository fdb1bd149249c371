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

  @seeds %{ets: [1, 2], browser: [1, 2, 3, 4], redis: [1, 2], mnesia: [1, 2]}
  @fresh_seconds 8

  for adapter <- Checker.adapters() do
    test "#{adapter}: every recovery gives the newest completed state, a newer pending one, or nothing where allowed" do
      result = Checker.check(unquote(adapter), seeds: @seeds[unquote(adapter)], seconds: @fresh_seconds, shrink_seconds: 20)
      IO.puts(Checker.summary(result))
      assert result.anomalies == [], Enum.map_join(result.anomalies, "\n\n", &Checker.format/1)
    end
  end
end
