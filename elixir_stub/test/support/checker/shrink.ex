defmodule LiveStash.Test.Checker.Shrink do
  @moduledoc """
  Shrinks a failing command list by deleting chunks (halving their size down to single
  commands) and keeping each deletion after which a fresh run still finds an anomaly, any
  anomaly: timing makes some of them flaky, and a shorter list that fails otherwise is
  as good a lead. Stops at `deadline` (monotonic ms) with the shortest list so far.
  """

  alias LiveStash.Test.Checker.Runner

  @doc "Returns `{commands, anomaly, cluster}`, the shortest failing list found."
  def shrink(cluster, profile, commands, anomaly, deadline) do
    # Nothing after the failing command mattered.
    commands = Enum.take(commands, anomaly.index + 1)
    chunks(cluster, profile, {commands, anomaly}, max(div(length(commands), 2), 1), deadline)
  end

  defp chunks(cluster, _profile, {commands, anomaly}, 0, _deadline),
    do: {commands, anomaly, cluster}

  defp chunks(cluster, profile, best, size, deadline) do
    {cluster, best} = pass(cluster, profile, best, size, 0, deadline)
    size = if out_of_time?(deadline), do: 0, else: div(size, 2)
    chunks(cluster, profile, best, size, deadline)
  end

  defp pass(cluster, profile, {commands, _} = best, size, from, deadline) do
    if from >= length(commands) or out_of_time?(deadline) do
      {cluster, best}
    else
      candidate = Enum.take(commands, from) ++ Enum.drop(commands, from + size)

      case Runner.run(cluster, profile, candidate) do
        {%{anomaly: nil}, cluster} ->
          pass(cluster, profile, best, size, from + size, deadline)

        {%{anomaly: anomaly}, cluster} ->
          pass(
            cluster,
            profile,
            {Enum.take(candidate, anomaly.index + 1), anomaly},
            size,
            from,
            deadline
          )
      end
    end
  end

  defp out_of_time?(deadline), do: System.monotonic_time(:millisecond) > deadline
end
