defmodule LiveStash.Adapters.Generation do
  @moduledoc """
  Orders the writes of one stash without clocks, so a shared store (Redis, Mnesia) can
  refuse a write that arrives after a newer one: a write delayed on one node (its writer
  stalled) while the client moved on to another.

  Every write of a stash takes the next generation, and a recovery continues from the
  generation of the row it recovered (Lamport-style). With the adapters' rules (only the
  view's process writes its stash; a recovery rewrites what it recovered; a reset, or a
  mount that recovers nothing, moves to a new stash id), each stash id has one line of
  writes, so a later write always carries a higher generation, whichever node made it.

  Kept in the LiveView process, keyed by the view's id, not in the socket: a
  LiveComponent writes its parent's stash from its own socket (see
  `LiveStash.Component.Writer`), and its writes must count too.
  """

  @doc "The generation for the next write of this view's stash."
  @spec next(Phoenix.LiveView.Socket.t()) :: pos_integer()
  def next(%{id: id}) do
    generation = current(id) + 1
    Process.put({__MODULE__, id}, generation)
    generation
  end

  @doc "A recovery found the row written as `generation`: later writes go above it."
  @spec continue(Phoenix.LiveView.Socket.t(), non_neg_integer()) :: :ok
  def continue(%{id: id}, generation) when is_integer(generation) do
    Process.put({__MODULE__, id}, max(current(id), generation))
    :ok
  end

  defp current(id), do: Process.get({__MODULE__, id}, 0)
end
