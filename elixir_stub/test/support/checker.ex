defmodule LiveStash.Test.Checker do
  @moduledoc """
  The randomized, seeded, model-based checker of issue 21: for one adapter, runs command
  lists generated from seeds (`LiveStash.Test.Checker.Commands`) on two real `:peer`
  nodes (`LiveStash.Test.Checker.Cluster`), checks every recovery against the model
  (`LiveStash.Test.Checker.Model`), and shrinks each failure to a short command list.

      LiveStash.Test.Checker.check(:ets, seeds: [1, 2], seconds: 20)

  Options: `:seeds` (run first, in order), `:schedules` (then these hand-written
  `{name, commands}` lists, on the adapter's plain profile), `:seconds` (then fresh
  seeds for this long; 0 by default), `:length` (commands per seed, 30),
  `:shrink_seconds` (per failure, 30). Returns `%{adapter:, seeds:, commands:,
  recoveries:, anomalies: [%{seed:, profile:, commands:, text:}]}`.
  """

  alias LiveStash.Test.Checker.{Cluster, Commands, Runner, Shrink}

  @adapters [:ets, :browser, :redis, :mnesia]

  def adapters, do: @adapters

  def check(adapter, opts \\ []) when adapter in @adapters do
    seconds = Keyword.get(opts, :seconds, 0)
    length = Keyword.get(opts, :length, 30)
    shrink_ms = 1000 * Keyword.get(opts, :shrink_seconds, 30)
    cluster = Cluster.start!(adapter)
    totals = %{adapter: adapter, seeds: 0, commands: 0, recoveries: 0, anomalies: []}

    try do
      {totals, cluster} =
        Enum.reduce(Keyword.get(opts, :seeds, []), {totals, cluster}, fn seed,
                                                                         {totals, cluster} ->
          one_seed(cluster, adapter, seed, length, shrink_ms, totals)
        end)

      {totals, cluster} =
        Enum.reduce(Keyword.get(opts, :schedules, []), {totals, cluster}, fn schedule, acc ->
          one_schedule(acc, adapter, schedule)
        end)

      # Fresh seeds for `seconds` after the fixed ones.
      deadline = now() + 1000 * seconds

      {totals, _cluster} =
        Enum.reduce_while(fresh_seeds(), {totals, cluster}, fn seed, {totals, cluster} ->
          if now() < deadline,
            do: {:cont, one_seed(cluster, adapter, seed, length, shrink_ms, totals)},
            else: {:halt, {totals, cluster}}
        end)

      %{totals | anomalies: Enum.reverse(totals.anomalies)}
    after
      # Killed nodes were replaced: stop the nodes the last run left.
      Cluster.stop(Process.delete(:checker_cluster) || cluster)
    end
  end

  defp one_seed(cluster, adapter, seed, length, shrink_ms, totals) do
    {profile, commands} = Commands.generate(adapter, seed, length)
    {result, cluster} = Runner.run(cluster, profile, commands)
    Process.put(:checker_cluster, cluster)

    totals = %{
      totals
      | seeds: totals.seeds + 1,
        commands: totals.commands + result.commands,
        recoveries: totals.recoveries + result.recoveries
    }

    case result.anomaly do
      nil ->
        {totals, cluster}

      anomaly ->
        {shrunk, anomaly, cluster} =
          Shrink.shrink(cluster, profile, commands, anomaly, now() + shrink_ms)

        Process.put(:checker_cluster, cluster)
        found = %{seed: seed, profile: profile, commands: shrunk, text: anomaly.text}
        {%{totals | anomalies: [found | totals.anomalies]}, cluster}
    end
  end

  @doc """
  Replays a (shrunk) command list `times` times on a fresh cluster; returns each run's
  anomaly (nil for a clean run). `profile` is the one `format/1` printed, as a map.
  """
  def replay(profile, commands, times \\ 1) do
    cluster = Cluster.start!(profile.adapter)

    try do
      {anomalies, _} =
        Enum.map_reduce(1..times, cluster, fn _, cluster ->
          {result, cluster} = Runner.run(cluster, profile, commands)
          Process.put(:checker_cluster, cluster)
          {result.anomaly, cluster}
        end)

      anomalies
    after
      Cluster.stop(Process.delete(:checker_cluster) || cluster)
    end
  end

  # A hand-written command list: already short, so it is reported as it is.
  defp one_schedule({totals, cluster}, adapter, {name, commands}) do
    profile = Commands.plain_profile(adapter)
    {result, cluster} = Runner.run(cluster, profile, commands)
    Process.put(:checker_cluster, cluster)

    totals = %{
      totals
      | commands: totals.commands + result.commands,
        recoveries: totals.recoveries + result.recoveries
    }

    case result.anomaly do
      nil ->
        {totals, cluster}

      anomaly ->
        found = %{
          seed: "schedule:#{name}",
          profile: profile,
          commands: commands,
          text: anomaly.text
        }

        {%{totals | anomalies: [found | totals.anomalies]}, cluster}
    end
  end

  # Fresh seeds come from the OS, so two runs never share them; each is printed when it fails.
  defp fresh_seeds, do: Stream.repeatedly(fn -> :rand.uniform(1_000_000_000) end)

  @doc "The summary line the soak prints for one adapter."
  def summary(%{adapter: a, commands: c, recoveries: r, anomalies: found}),
    do: "adapter=#{a} commands=#{c} recoveries=#{r} anomalies=#{length(found)}"

  @doc "One anomaly: its seed, profile, what went wrong and the shrunk commands to replay it."
  def format(%{seed: seed, profile: profile, commands: commands, text: text}) do
    variant =
      if profile.adapter == :browser,
        do:
          " mode=#{profile.mode} client=#{if profile.official, do: "official", else: "keyed"}" <>
            if(profile.auto, do: " auto_stash", else: ""),
        else: ""

    lines = commands |> Enum.with_index(1) |> Enum.map(fn {c, i} -> "    #{i}. #{inspect(c)}" end)

    Enum.join(
      [
        "anomaly adapter=#{profile.adapter}#{variant} seed=#{seed}: #{text}",
        "  replay: LiveStash.Test.Checker.replay(#{inspect(profile)}, <these commands>)",
        "  shrunk commands:" | lines
      ],
      "\n"
    )
  end

  defp now, do: System.monotonic_time(:millisecond)
end
