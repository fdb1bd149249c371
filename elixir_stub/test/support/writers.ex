defmodule LiveStash.Test.Writers do
  @moduledoc """
  The server adapters write behind the LiveView (`LiveStash.Adapters.WriteBehind`): a
  stash lands a moment after the event that made it. A test that reads the store behind
  the adapter's back, or that reconnects on another node at once (a real reconnect takes
  far longer than a write), waits for the writes first with `settle/1`.
  """

  alias LiveStash.Adapters.WriteBehind

  @writers [LiveStash.Adapters.Redis.Writer, LiveStash.Adapters.Mnesia.Writer]

  @doc """
  Waits until every write handed over so far on this node has landed; `{:error,
  :timeout}` when one has not within `timeout` (its store does not answer).
  """
  def settle(timeout \\ 10_000) do
    Enum.reduce_while(@writers, :ok, fn writer, :ok ->
      case Process.whereis(writer) && WriteBehind.sync(writer, timeout) do
        error = {:error, _} -> {:halt, error}
        _ -> {:cont, :ok}
      end
    end)
  end

  @doc "`settle/1` on `node`."
  def settle_on(node, timeout \\ 10_000), do: :erpc.call(node, __MODULE__, :settle, [timeout])

  @doc """
  Runs `fun` while every writer on `node` is suspended: what the views there hand over
  stays pending (as behind a stalled store) until `fun` returns.
  """
  def stalled_on(node, fun) do
    writers = Enum.filter(@writers, &:erpc.call(node, Process, :whereis, [&1]))
    Enum.each(writers, &(:ok = :erpc.call(node, :sys, :suspend, [&1])))

    try do
      fun.()
    after
      Enum.each(writers, &(:ok = :erpc.call(node, :sys, :resume, [&1])))
    end
  end

  @doc """
  True while `writer` on `node` is flushing at shutdown: its supervisor is stopping it
  and it still waits for its store (it serves its own messages in `flush/2` then).
  """
  def flushing?(node, writer) do
    pid = :erpc.call(node, Process, :whereis, [writer])

    is_pid(pid) and
      :erpc.call(node, Process, :info, [pid, :current_function]) ==
        {:current_function, {WriteBehind, :flush, 2}}
  catch
    :exit, _ -> false
  end
end
