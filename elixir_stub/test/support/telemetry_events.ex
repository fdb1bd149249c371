defmodule LiveStash.Test.TelemetryEvents do
  @moduledoc """
  Sends every live-stash telemetry event to the test process, as
  `{:telemetry, event_name, measurements, metadata}`, through the `:telemetry` double.
  """

  import ExUnit.Callbacks, only: [on_exit: 1]

  @spans for name <- [:stash, :recover, :reset, :keep_alive],
             step <- [:start, :stop, :exception],
             do: [:live_stash, name, step]

  @doc "Every event live-stash emits."
  def names, do: @spans ++ [[:live_stash, :adapter, :error]]

  @doc "Attaches a handler for the rest of the test; returns its id."
  def attach! do
    id = {__MODULE__, make_ref()}
    :ok = :telemetry.attach_many(id, names(), &__MODULE__.handle/4, self())
    on_exit(fn -> :telemetry.detach(id) end)
    id
  end

  @doc false
  def handle(event, measurements, metadata, pid),
    do: send(pid, {:telemetry, event, measurements, metadata})

  @doc "Every event received so far, oldest first, without waiting."
  def received(acc \\ []) do
    receive do
      {:telemetry, event, measurements, metadata} ->
        received([{event, measurements, metadata} | acc])
    after
      0 -> Enum.reverse(acc)
    end
  end
end
