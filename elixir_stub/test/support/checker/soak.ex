defmodule LiveStash.Test.Checker.Soak do
  @moduledoc """
  `npm run soak -- --seconds N`: the checker with fresh seeds for N seconds in all,
  split evenly over the four adapters. Prints one line per adapter, then each anomaly's
  seed and shrunk commands; halts with status 1 on any anomaly. Run by
  `scripts/soak.mjs` as `MIX_ENV=test mix run --no-start`, so it boots the node the way
  `test/test_helper.exs` does (distributed before Mnesia starts).
  """

  alias LiveStash.Test.{Checker, Peers}

  def main(seconds, adapters \\ Checker.adapters()) do
    boot!()
    per_adapter = max(div(seconds, length(adapters)), 5)

    results =
      for adapter <- adapters do
        result =
          Checker.check(adapter, seconds: per_adapter, shrink_seconds: min(30, per_adapter))

        # Switching Redis on and off restarts the app, which logs again.
        Logger.configure(level: :none)
        IO.puts(Checker.summary(result))
        result
      end

    anomalies = Enum.flat_map(results, & &1.anomalies)
    for anomaly <- anomalies, do: IO.puts("\n" <> Checker.format(anomaly))
    System.halt(if anomalies == [], do: 0, else: 1)
  end

  # Refusals log a warning each by design; the soak's output is its summary.
  defp boot! do
    Logger.configure(level: :none)
    {:ok, _} = Application.ensure_all_started(:ex_unit)
    _ = Application.stop(:live_stash)
    _ = :mnesia.stop()
    Peers.ensure_distributed!()
    :ok = :logger.add_primary_filter(:quiet_global, {&Peers.drop_partition_warning/2, []})
    {:ok, _} = Application.ensure_all_started(:live_stash)
  end
end
