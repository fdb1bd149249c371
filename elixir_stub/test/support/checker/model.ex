defmodule LiveStash.Test.Checker.Model do
  @moduledoc """
  What the checker expects of every recovery (issue 21): per view, the newest completed
  write and the writes still pending. A recovery must give the newest completed state or
  a newer pending one; nothing (`:new`, `:not_found`, `:error`) only when no write
  completed since the view last started over, or when the model allows the loss (an ETS
  row on a node that went away). Anything else is an anomaly: an older state, a reset
  one, another view's or session's.

  A state is `{count, other}`; every write sets one key to a value unique within the run,
  so a state names the one write that made it, and `seq` (that value) orders writes.
  A pending write lives on a slot (the node that holds it in its writer). When that node
  goes away, or the view leaves that stash (a recovery that found nothing moves it to a
  new id), the write becomes an orphan: it may have landed or not (the crash window), so
  it stays acceptable and is never required.
  """

  @blank {0, nil}

  defstruct views: %{}, writes: %{}

  defmodule View do
    @moduledoc false
    defstruct assigns: {0, nil}, completed: nil, pending: [], may_lose: false, row_slot: nil
  end

  def new(view_keys), do: %__MODULE__{views: Map.new(view_keys, &{&1, %View{}})}

  def assigns(model, v), do: model.views[v].assigns

  @doc "The state a stash of `key` set to `value` writes on view `v`."
  def next_state(model, v, :count, value), do: put_elem(assigns(model, v), 0, value)
  def next_state(model, v, :other, value), do: put_elem(assigns(model, v), 1, value)

  @doc "A write of `state` (seq `seq`) from view `v` on `slot`: `:completed` or `:pending`."
  def written(model, v, seq, state, slot, how) do
    model = %{model | writes: Map.put(model.writes, state, {v, seq})}

    update(model, v, fn view ->
      view = %{view | assigns: state}

      case how do
        :completed ->
          %{view | completed: {seq, state}, pending: [], may_lose: false, row_slot: slot}

        :pending ->
          %{view | pending: view.pending ++ [{seq, state, slot}]}
      end
    end)
  end

  @doc "Every write pending on `slot` landed (its writer synced)."
  def settled(model, slot) do
    update_all(model, fn view ->
      {landed, rest} = Enum.split_with(view.pending, fn {_, _, s} -> s == slot end)

      case Enum.max_by(landed, &elem(&1, 0), fn -> nil end) do
        {seq, state, _} = newest when newest != nil ->
          if newer?(seq, view.completed),
            do: %{view | completed: {seq, state}, pending: rest, may_lose: false},
            else: %{view | pending: rest}

        nil ->
          view
      end
    end)
  end

  @doc "`slot`'s node went away; `ets?`: rows it held are gone with it."
  def node_lost(model, slot, ets?) do
    update_all(model, fn view ->
      {dead, alive} = Enum.split_with(view.pending, fn {_, _, s} -> s == slot end)
      pending = alive ++ orphan(dead)
      lose? = view.may_lose or (ets? and view.row_slot == slot and view.completed != nil)
      %{view | pending: pending, may_lose: lose?}
    end)
  end

  @doc "A recovery of `v` may give nothing for now (its row sits on an unreachable node)."
  def may_lose(model, v), do: update(model, v, &%{&1 | may_lose: &1.completed != nil})

  @doc "The view dropped its stash (a reset, a navigation): every earlier state is gone."
  def started_over(model, v, keep_assigns? \\ true) do
    update(model, v, fn view ->
      assigns = if keep_assigns?, do: view.assigns, else: @blank
      %View{assigns: assigns}
    end)
  end

  @doc """
  Checks a recovery of `v` on `slot` that gave `result` (`{:recovered, state}` or
  `{:nothing, status}`); returns `{:ok, model}` or `{:anomaly, text}`.
  """
  def recovered(model, v, _slot, {:nothing, status}) do
    view = model.views[v]

    # Writes still pending may land later, for a stash the view has left: they stay
    # acceptable, and are never required.
    if view.completed == nil or view.may_lose,
      do:
        {:ok,
         update(
           model,
           v,
           &%{&1 | assigns: @blank, completed: nil, may_lose: false, pending: orphan(&1.pending)}
         )},
      else: {:anomaly, "#{status} although #{describe(view.completed)} completed"}
  end

  def recovered(model, v, slot, {:recovered, state}) do
    view = %{model.views[v] | assigns: state, may_lose: false, row_slot: slot}

    # The view goes on from `state`: writes newer than it belong to the page it left, so
    # they may still land but are never required (and once a newer write completes, are
    # no longer acceptable either).
    case acceptable(view, state) do
      :completed ->
        {:ok, put_in(model.views[v], %{view | pending: orphan(view.pending)})}

      # Read from the writer of the node it is pending on: the store may not hold it yet.
      {:pending, seq, ^slot} ->
        pending = [{seq, state, slot} | orphan(Enum.reject(view.pending, &(elem(&1, 0) == seq)))]
        {:ok, put_in(model.views[v], %{view | pending: pending})}

      # Read on another node: the store holds it.
      {:pending, seq, _elsewhere} ->
        pending = orphan(Enum.reject(view.pending, &(elem(&1, 0) == seq)))
        {:ok, put_in(model.views[v], %{view | completed: {seq, state}, pending: pending})}

      :error ->
        {:anomaly,
         "recovered #{inspect(state)} (#{origin(model, v, state)}); expected " <>
           expected(model.views[v])}
    end
  end

  @doc "A recovery by someone who is not `v` (a sibling, a stranger, a new page) must find nothing."
  def foreign(model, _who, {:nothing, _status}), do: {:ok, model}

  def foreign(model, who, {:recovered, state}),
    do: {:anomaly, "#{who} recovered #{inspect(state)} (#{origin(model, nil, state)})"}

  defp acceptable(view, state) do
    case view do
      %{completed: {_seq, ^state}} ->
        :completed

      _ ->
        case Enum.find(view.pending, fn {_, s, _} -> s == state end) do
          {seq, _, slot} ->
            if newer?(seq, view.completed), do: {:pending, seq, slot}, else: :error

          nil ->
            :error
        end
    end
  end

  defp orphan(pending), do: for({seq, state, _} <- pending, do: {seq, state, :orphan})

  defp newer?(_seq, nil), do: true
  defp newer?(seq, {completed, _}), do: seq > completed

  defp origin(model, v, state) do
    case model.writes[state] do
      {^v, seq} -> "this view's write ##{seq}"
      {other, seq} -> "view #{inspect(other)}'s write ##{seq}"
      nil -> "never written in this run"
    end
  end

  defp expected(view) do
    newest = if view.completed, do: describe(view.completed), else: "nothing"

    pending =
      for {seq, state, _} <- view.pending, newer?(seq, view.completed), do: describe({seq, state})

    Enum.join([newest | pending], " or ")
  end

  defp describe({seq, state}), do: "#{inspect(state)} (write ##{seq})"

  defp update(model, v, fun), do: %{model | views: Map.update!(model.views, v, fun)}

  defp update_all(model, fun),
    do: %{model | views: Map.new(model.views, fn {k, view} -> {k, fun.(view)} end)}
end
