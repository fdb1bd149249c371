defmodule LiveStash.Telemetry do
  @moduledoc """
  The `:telemetry` events live-stash emits, and `metrics/0` for LiveDashboard or any
  `Telemetry.Metrics` reporter.

  Both `:telemetry` and `:telemetry_metrics` are optional dependencies (every Phoenix app
  has them). Without `:telemetry` nothing is emitted and nothing else changes; see
  `LiveStash.Telemetry.Optional`.

  For example, to log every rejected recovery with its reason:

      :telemetry.attach(
        "log-rejected-stashes",
        [:live_stash, :recover, :stop],
        fn _event, _measurements, %{status: status, view: view} = metadata, _config ->
          if status == :error,
            do: Logger.warning("\#{inspect(view)} stash rejected: \#{inspect(metadata[:reason])}")
        end,
        nil
      )

  ## Spans

  Each is a `:telemetry.span/3`: `[:live_stash, name, :start]`, then `:stop` or, when the
  work raised, `:exception` (metadata plus `kind`, `reason`, `stacktrace`; the error is
  re-raised). Start measurements are `monotonic_time` and `system_time`; stop and
  exception measurements are `duration` and `monotonic_time` (native units), plus
  `bytes` on `:stop` where noted. Every event's metadata has `view` (the LiveView
  module), `adapter`, and `component` (`{module, id}`) when the socket is a
  LiveComponent's; stop metadata repeats the start metadata and adds what is listed.

    * `[:live_stash, :stash]` - each write of a view's record: `LiveStash.stash/1` (or an
      auto-stash) that changed a stored key, a component's stash, the rewrite after a
      recovery. No-op stashes (nothing changed) and disconnected sockets emit nothing.
      Stop: `status` (`:ok | :error`), `reason: :adapter_down` on `:error`; `bytes`,
      the size of the encoded record, for adapters that encode it (BrowserMemory,
      Redis; ETS and Mnesia store the term as it is, so they report none). Redis and
      Mnesia write behind the LiveView (`LiveStash.Adapters.WriteBehind`): their span
      covers handing the write over, and a write that then fails emits the adapter error
      event below.
    * `[:live_stash, :recover]` - each `LiveStash.recover_state/1` on a connected socket.
      Stop: `status` (`:recovered | :new | :not_found | :error`) and, for `:not_found`
      or `:error` when known, `reason` (`:expired | :tampered | :version_mismatch |
      :newer_version | :migration_failed | :wrong_view | :wrong_session | :malformed |
      :adapter_down`; see `LiveStash.Failure`).
    * `[:live_stash, :reset]` - each `LiveStash.reset_stash/1` on a connected socket.
    * `[:live_stash, :keep_alive]` - each keep-alive beat (every ttl/4). Stop: `bytes`
      when the beat re-issued a browser token.

  ## Events

    * `[:live_stash, :adapter, :error]` - an adapter failed to write (`operation: :put`)
      or read (`operation: :fetch`) a stash, e.g. Redis down or a Mnesia transaction
      aborted. Measurements `monotonic_time`, `system_time`; metadata `adapter`, `view`,
      `operation`, `reason` (the adapter's own error term).
  """

  alias LiveStash.{Component, State}
  alias LiveStash.Component.{Instance, Registry}
  alias LiveStash.Telemetry.Optional

  @doc """
  `Telemetry.Metrics` definitions for live-stash's events: recoveries counted by status
  and view, the distribution of stash sizes and of stash durations by adapter, and
  adapter errors counted by adapter. Add them to the metrics of your app's Telemetry
  module, which LiveDashboard charts:

      def metrics do
        [
          # ... Phoenix, Ecto and VM metrics
        ] ++ LiveStash.Telemetry.metrics()
      end

  Raises when `:telemetry_metrics` is not a dependency.
  """
  @spec metrics() :: [struct()]
  def metrics, do: metrics(&Code.ensure_loaded?/1)

  @doc false
  # `loaded?` is an argument so the suite can play an app without :telemetry_metrics.
  def metrics(loaded?) do
    unless loaded?.(Telemetry.Metrics) do
      raise RuntimeError,
            "LiveStash.Telemetry.metrics/0 needs the :telemetry_metrics package. Add " <>
              "`{:telemetry_metrics, \"~> 1.0\"}` to your deps (apps made by `mix phx.new` " <>
              "have it), or build your own metrics on the events listed in LiveStash.Telemetry."
    end

    tag_values = &__MODULE__.tag_values/1

    [
      Telemetry.Metrics.counter("live_stash.recover.count",
        event_name: [:live_stash, :recover, :stop],
        measurement: :duration,
        tags: [:status, :view],
        tag_values: tag_values,
        description: "Recoveries by status (:recovered, :new, :not_found, :error)"
      ),
      Telemetry.Metrics.distribution("live_stash.stash.stop.bytes",
        unit: :byte,
        tags: [:adapter],
        tag_values: tag_values,
        description: "Size of each stash written (encoding adapters only)",
        reporter_options: [buckets: [1_024, 10_240, 102_400, 524_288, 1_048_576]]
      ),
      Telemetry.Metrics.distribution("live_stash.stash.stop.duration",
        unit: {:native, :millisecond},
        tags: [:adapter],
        tag_values: tag_values,
        description: "Time a LiveView spends writing its stash",
        reporter_options: [buckets: [0.1, 0.5, 1, 5, 25, 100, 500]]
      ),
      Telemetry.Metrics.counter("live_stash.adapter.error.count",
        event_name: [:live_stash, :adapter, :error],
        measurement: :system_time,
        tags: [:adapter, :operation],
        tag_values: tag_values,
        description: "Failed reads and writes of a stash store (Redis, Mnesia)"
      )
    ]
  end

  @doc false
  # Module names as reporters show them ("MyAppWeb.CounterLive", not "Elixir.MyApp...").
  def tag_values(metadata) do
    Map.new(metadata, fn
      {key, module} when key in [:view, :adapter] and is_atom(module) -> {key, inspect(module)}
      other -> other
    end)
  end

  ## Hooks: where the rest of live-stash reports what it does.

  @doc false
  # Around an adapter's `put/3`, which `put` runs; returns its result.
  def stash(socket, %State{options: %{adapter: adapter}}, put) do
    Optional.span(:stash, fn -> metadata(socket, adapter) end, put, fn
      {:ok, _socket}, notes, metadata ->
        {bytes(notes), Map.put(metadata, :status, :ok)}

      {:error, reason}, notes, metadata ->
        adapter_error(adapter, socket.view, reason, :put)
        {bytes(notes), Map.merge(metadata, %{status: :error, reason: :adapter_down})}
    end)
  end

  @doc false
  # Around `LiveStash.recover_state/1`, which `recover` runs; returns its result.
  def recover(socket, recover) do
    if Phoenix.LiveView.connected?(socket) do
      Optional.span(:recover, fn -> metadata(socket) end, recover, fn
        {status, _socket}, notes, metadata when status in [:not_found, :error] ->
          {%{}, metadata |> Map.put(:status, status) |> put_reason(notes)}

        {status, _socket}, _notes, metadata ->
          {%{}, Map.put(metadata, :status, status)}
      end)
    else
      recover.()
    end
  end

  @doc false
  # Around `LiveStash.reset_stash/1`, which `reset` runs; returns its result.
  def reset(socket, reset) do
    if Phoenix.LiveView.connected?(socket),
      do: Optional.span(:reset, fn -> metadata(socket) end, reset, &unchanged/3),
      else: reset.()
  end

  @doc false
  # Around one keep-alive beat, which `beat` runs; returns its result.
  def keep_alive(socket, %State{options: %{adapter: adapter}}, beat) do
    Optional.span(:keep_alive, fn -> metadata(socket, adapter) end, beat, fn
      _socket, notes, metadata -> {bytes(notes), metadata}
    end)
  end

  @doc false
  # A recovery was rejected for `reason` (an adapter's error or a failed record check).
  # A reason that is not one of the documented ones is the adapter failing.
  def rejected(socket, %State{options: %{adapter: adapter}}, reason) do
    known = LiveStash.Failure.reason(reason)
    :ok = Optional.note(:reason, known)
    if known == :adapter_down, do: adapter_error(adapter, socket.view, reason, :fetch)
    :ok
  end

  @doc false
  # A record (or, keyed, a key's value or the manifest) was encoded to `binary`: the
  # running stash's `bytes` add up what it serialised.
  def encoded(binary) when is_binary(binary) do
    :ok = Optional.add(:bytes, byte_size(binary))
    binary
  end

  @doc false
  # Also for writes that fail away from the LiveView (a write-behind process).
  def adapter_error(adapter, view, reason, operation) do
    Optional.execute(
      [:adapter, :error],
      %{monotonic_time: System.monotonic_time(), system_time: System.system_time()},
      %{adapter: adapter, view: view, reason: reason, operation: operation}
    )
  end

  defp unchanged(_result, _notes, metadata), do: {%{}, metadata}

  defp bytes(%{bytes: bytes}), do: %{bytes: bytes}
  defp bytes(_notes), do: %{}

  defp put_reason(metadata, %{reason: reason}), do: Map.put(metadata, :reason, reason)
  defp put_reason(metadata, _notes), do: metadata

  defp metadata(socket), do: metadata(socket, adapter(socket))

  defp metadata(socket, adapter) do
    case Instance.get(socket) do
      %Instance{module: module, key: {_name, id}} ->
        %{view: socket.view, adapter: adapter, component: {module, id}}

      nil ->
        %{view: socket.view, adapter: adapter}
    end
  end

  # Read without raising: a socket that is not set up raises in the work itself, with
  # the message that explains the fix.
  defp adapter(socket) do
    state =
      if Component.socket?(socket),
        do: with(%Registry{state: state} <- Registry.fetch(socket), do: state),
        else: socket.private[State.private_key()]

    with %State{options: %{adapter: adapter}} <- state, do: adapter
  end
end
