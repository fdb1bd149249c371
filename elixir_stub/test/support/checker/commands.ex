defmodule LiveStash.Test.Checker.Commands do
  @moduledoc """
  Seeded command lists for the checker. The same seed always gives the same profile and
  the same commands (`:rand`'s exsss, seeded with `{seed, 21, 21}`), so a failure is
  replayed from its seed alone. Views are `0` and `1`, nodes are slots `0` and `1`
  (a killed node's slot gets a new node). A freeze or a writer stall is always undone
  within a few commands, and the last commands thaw whatever is still frozen.
  """

  @views [0, 1]
  @slots [0, 1]

  @doc "The profile (adapter and its variant) and the commands of `seed`."
  def generate(adapter, seed, length) do
    state = :rand.seed_s(:exsss, {seed, 21, 21})
    {profile, state} = profile(adapter, state)
    acc = %{frozen: %{}, stalled: %{}, value: 0, rand: state, out: []}
    acc = Enum.reduce(1..length, acc, fn _, acc -> step(profile, acc) end)
    acc = Enum.reduce(Map.keys(acc.frozen), acc, &emit(&2, {:thaw, &1}))
    acc = Enum.reduce(Map.keys(acc.stalled), acc, &emit(&2, {:resume_writer, &1}))
    {profile, Enum.reverse(acc.out)}
  end

  @doc "The profile a hand-written schedule runs on: signed tokens, our client, no auto_stash."
  def plain_profile(adapter),
    do: %{
      adapter: adapter,
      mode: if(adapter == :browser, do: :sign),
      official: false,
      auto: false
    }

  defp profile(:browser, state) do
    {mode, state} = pick([:sign, :encrypt], state)
    {official, state} = pick([false, true], state)
    {auto, state} = pick([false, true], state)
    {%{adapter: :browser, mode: mode, official: official, auto: auto}, state}
  end

  defp profile(adapter, state),
    do: {%{adapter: adapter, mode: nil, official: false, auto: false}, state}

  defp step(profile, acc) do
    acc = undo_due(acc)
    {command, state} = weighted(choices(profile, acc), acc.rand)
    acc = %{acc | rand: state}
    {command, acc} = fill(command, acc)
    acc |> track(command) |> emit(command)
  end

  # Thaws and resumes whose time has come, counted down once per step.
  defp undo_due(acc) do
    {frozen, acc} = countdown(acc.frozen, acc, :thaw)
    {stalled, acc} = countdown(acc.stalled, acc, :resume_writer)
    %{acc | frozen: frozen, stalled: stalled}
  end

  defp countdown(held, acc, undo) do
    Enum.reduce(held, {%{}, acc}, fn
      {slot, 0}, {kept, acc} -> {kept, emit(acc, {undo, slot})}
      {slot, n}, {kept, acc} -> {Map.put(kept, slot, n - 1), acc}
    end)
  end

  defp choices(%{adapter: adapter}, acc) do
    server? = adapter in [:redis, :mnesia]
    frozen? = map_size(acc.frozen) > 0

    [
      {20, :stash_count},
      {7, :stash_other},
      {22, :reconnect},
      {5, :sibling},
      {4, :stranger},
      {4, :reset},
      {3, :navigate},
      {1, :away}
    ] ++
      if(server?, do: [{9, :settle}, {6, :stall_writer}], else: []) ++
      if(frozen?, do: [], else: [{2, :freeze}, {1, :kill}, {1, :stop}]) ++
      if(adapter == :redis, do: [{2, :redis_stall}], else: [])
  end

  defp fill(:stash_count, acc), do: stash(:count, acc)
  defp fill(:stash_other, acc), do: stash(:other, acc)

  defp fill(:reconnect, acc) do
    {v, acc} = draw(@views, acc)
    {slot, acc} = live_slot(acc)
    {hint?, acc} = draw([true, true, true, false], acc)
    {{:reconnect, v, slot, hint?}, acc}
  end

  defp fill(kind, acc) when kind in [:sibling, :stranger, :navigate] do
    {v, acc} = draw(@views, acc)
    {slot, acc} = live_slot(acc)
    {{kind, v, slot}, acc}
  end

  defp fill(kind, acc) when kind in [:reset, :away] do
    {v, acc} = draw(@views, acc)
    {{kind, v}, acc}
  end

  defp fill(kind, acc) when kind in [:settle, :stall_writer, :freeze, :kill, :stop] do
    {slot, acc} = live_slot(acc)
    {{kind, slot}, acc}
  end

  defp fill(:redis_stall, acc), do: {{:redis_stall}, acc}

  defp stash(key, acc) do
    {v, acc} = draw(@views, acc)
    value = acc.value + 1
    {{:stash, v, key, value}, %{acc | value: value}}
  end

  defp track(acc, {:freeze, slot}) do
    {n, acc} = draw([0, 1, 2, 3], acc)
    %{acc | frozen: Map.put(acc.frozen, slot, n)}
  end

  defp track(acc, {:stall_writer, slot}) do
    {n, acc} = draw([0, 1, 2, 3, 4], acc)
    %{acc | stalled: Map.put_new(acc.stalled, slot, n)}
  end

  defp track(acc, _command), do: acc

  defp live_slot(acc), do: draw(Enum.reject(@slots, &Map.has_key?(acc.frozen, &1)), acc)

  defp emit(acc, command), do: %{acc | out: [command | acc.out]}

  defp draw(list, acc) do
    {item, state} = pick(list, acc.rand)
    {item, %{acc | rand: state}}
  end

  defp pick(list, state) do
    {i, state} = :rand.uniform_s(length(list), state)
    {Enum.at(list, i - 1), state}
  end

  defp weighted(choices, state) do
    total = choices |> Enum.map(&elem(&1, 0)) |> Enum.sum()
    {r, state} = :rand.uniform_s(total, state)

    choice =
      Enum.reduce_while(choices, r, fn {w, c}, left ->
        if left <= w, do: {:halt, c}, else: {:cont, left - w}
      end)

    {choice, state}
  end
end
