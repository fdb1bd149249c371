defmodule LiveStash.Telemetry.Optional do
  @moduledoc false
  # Emits `:telemetry` events when the app has `:telemetry`, and does nothing otherwise:
  # it is an optional dependency, so live-stash must run unchanged without it.
  #
  # Whether `:telemetry` is there is checked once per node, on the first event, and kept
  # in `:persistent_term` (a read costs about as much as a map lookup). The check is at
  # runtime, not when live-stash compiles, so it holds for whatever code the node runs.
  #
  # A span can also carry *notes*: facts found deep inside the work it measures (the size
  # of the encoded record, why a recovery was rejected) that the code in between need not
  # pass along. They live in the process dictionary only while a span runs, so outside
  # one, or without `:telemetry`, `note/2` costs one dictionary read and keeps nothing.

  @enabled {__MODULE__, :enabled?}
  @notes {__MODULE__, :notes}

  @typedoc "What a span's stop event carries, built from the work's result and the notes."
  @type stop ::
          (result :: term(), notes :: map(), start_metadata :: map() ->
             {measurements :: map(), metadata :: map()})

  @doc "True when `:telemetry` is loaded on this node."
  @spec enabled?() :: boolean()
  def enabled? do
    case :persistent_term.get(@enabled, nil) do
      nil -> check()
      enabled? -> enabled?
    end
  end

  @doc false
  # Runs (or re-runs) the check. `loaded?` is an argument so the suite can play a node
  # without `:telemetry`, which its own build always has (a test double).
  @spec check((module() -> boolean())) :: boolean()
  def check(loaded? \\ &Code.ensure_loaded?/1) do
    enabled? = loaded?.(:telemetry) and function_exported?(:telemetry, :span, 3)
    :persistent_term.put(@enabled, enabled?)
    enabled?
  end

  @doc """
  Runs `fun` inside a `[:live_stash, event]` span and returns its result. The start
  metadata is built by `metadata` and the stop event by `stop`, both only when
  `:telemetry` is there.
  """
  @spec span(atom(), (() -> map()), (() -> result), stop()) :: result when result: term()
  def span(event, metadata, fun, stop) do
    if enabled?(), do: run([:live_stash, event], metadata.(), fun, stop), else: fun.()
  end

  defp run(prefix, metadata, fun, stop) do
    outer = Process.put(@notes, %{})

    try do
      :telemetry.span(prefix, metadata, fn ->
        result = fun.()
        {measurements, stop_metadata} = stop.(result, Process.get(@notes), metadata)
        {result, measurements, stop_metadata}
      end)
    after
      # A span inside another (a recovery rewrites the stash) hands the outer one back.
      if outer, do: Process.put(@notes, outer), else: Process.delete(@notes)
    end
  end

  @doc "Emits `[:live_stash | event]`, when `:telemetry` is there."
  @spec execute([atom()], map(), map()) :: :ok
  def execute(event, measurements, metadata) do
    if enabled?(), do: :telemetry.execute([:live_stash | event], measurements, metadata)
    :ok
  end

  @doc "Notes `value` under `key` for the innermost running span; outside one, nothing."
  @spec note(atom(), term()) :: :ok
  def note(key, value), do: update_notes(&Map.put(&1, key, value))

  @doc false
  # Adds `amount` to a counted note (bytes of a stash that writes several pieces).
  def add(key, amount), do: update_notes(&Map.update(&1, key, amount, fn sum -> sum + amount end))

  defp update_notes(fun) do
    case Process.get(@notes) do
      %{} = notes -> Process.put(@notes, fun.(notes))
      nil -> nil
    end

    :ok
  end
end
