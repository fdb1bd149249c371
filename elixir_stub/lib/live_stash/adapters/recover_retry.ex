defmodule LiveStash.Adapters.RecoverRetry do
  @moduledoc """
  How long a recovery keeps trying a server store (Redis, Mnesia) that it cannot reach,
  before it gives up with `:error`. A Redis restart or failover takes a second or two; a
  reconnect that lands in it would otherwise start the page over, and its next stash
  would replace the state the store still holds.

      # config/runtime.exs (milliseconds in all; 0 tries once, as before)
      config :live_stash, recover_retry: [budget: 2_000]

  The default budget is 2 s. Attempts back off from 50 ms, doubling up to 400 ms; each
  one is bounded by the store's own timeout and by what is left of the budget, so a join
  waits at most about the budget (or one call's timeout, if that is longer) for a store
  that is down, and nothing more when it answers. Only a join whose store is unreachable
  pays it.
  """

  @default_budget_ms 2_000
  @first_backoff_ms 50
  @max_backoff_ms 400
  # A last attempt needs some time to be answered at all.
  @min_attempt_ms 50

  @doc "The configured budget in milliseconds."
  @spec budget_ms() :: non_neg_integer()
  def budget_ms do
    case Application.get_env(:live_stash, :recover_retry, []) |> Keyword.get(:budget) do
      nil ->
        @default_budget_ms

      ms when is_integer(ms) and ms >= 0 ->
        ms

      other ->
        raise ArgumentError,
              "recover_retry: [budget: ...] must be a non-negative integer (ms), got: #{inspect(other)}"
    end
  end

  @doc """
  Calls `attempt` with the longest it may wait (`:infinity` the first time: the store's
  own timeout applies) until it returns anything but `{:retry, result}`, or the budget is
  spent; then the last `result`.
  """
  @spec run((timeout() -> {:retry, result} | result)) :: result when result: term()
  def run(attempt) do
    retry(attempt, now() + budget_ms(), @first_backoff_ms, :infinity)
  end

  defp retry(attempt, deadline, backoff, max_wait) do
    case attempt.(max_wait) do
      {:retry, result} ->
        left = deadline - now()

        if left <= 0 do
          result
        else
          Process.sleep(min(backoff, left))
          max_wait = max(deadline - now(), @min_attempt_ms)
          retry(attempt, deadline, min(backoff * 2, @max_backoff_ms), max_wait)
        end

      result ->
        result
    end
  end

  defp now, do: System.monotonic_time(:millisecond)
end
