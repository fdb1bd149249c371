defmodule :telemetry do
  @moduledoc """
  TEST DOUBLE of the Erlang `:telemetry` library (beam-telemetry/telemetry 1.3,
  `src/telemetry.erl` and `src/telemetry_handler_table.erl`), written in Elixir because
  hex.pm is not reachable here. Its own small implementation of the documented behaviour
  the suite relies on:

    * `attach/4` is `attach_many/4` with one event; the handler must be a 4-arity
      function, event names non-empty lists of atoms (else `ArgumentError`, the
      Elixir face of `badarg`); an id already attached gives `{:error, :already_exists}`.
      A local (anonymous) function is accepted with an info log, as the real one logs.
    * `detach/1` gives `{:error, :not_found}` for an unknown id.
    * `execute/3` calls every handler of the event in the calling process. A handler
      that raises, throws or exits is detached, a `[:telemetry, :handler, :failure]`
      event is emitted (measurements `monotonic_time`, `system_time`; metadata
      `event_name`, `handler_id`, `handler_config`, `kind`, `reason`, `stacktrace`) and
      an error is logged; the caller never sees the failure. A number instead of a
      measurements map is deprecated: logged, and sent as `%{value: n}`.
    * `span/3`: `prefix ++ [:start]` with `monotonic_time` and `system_time` and the
      start metadata; then `prefix ++ [:stop]` with `duration` and `monotonic_time`
      (plus the extra measurements of a `{result, measurements, metadata}` return, which
      cannot override those two) and ONLY the metadata the span function returned (the
      start metadata is not merged in); or, when the function raises, throws or exits,
      `prefix ++ [:exception]` with `duration` and `monotonic_time` and the START
      metadata plus `kind`, `reason`, `stacktrace`, and the failure is re-raised. Every
      event's metadata gets a fresh `telemetry_span_context` (a reference) unless the
      given metadata already has one.
    * `list_handlers/1` lists handlers whose event name starts with the prefix, once
      per event, as maps with `id`, `event_name`, `function`, `config`.

  Handlers live in `:persistent_term` (the real library's `telemetry_pt` backend does
  the same); writes are serialised, as the real handler table's process does.
  """

  require Logger

  @table {__MODULE__, :handlers}

  def attach(handler_id, event_name, function, config),
    do: attach_many(handler_id, [event_name], function, config)

  def attach_many(handler_id, event_names, function, config) when is_function(function, 4) do
    Enum.each(assert_list!(event_names), &assert_event_name!/1)

    if match?({:type, :local}, :erlang.fun_info(function, :type)) do
      Logger.info(
        "The function passed as a handler with ID #{inspect(handler_id)} is a local function. " <>
          "That may cause a performance penalty when calling that handler."
      )
    end

    update(fn handlers ->
      if Enum.any?(handlers, &(&1.id == handler_id)) do
        {{:error, :already_exists}, handlers}
      else
        new = for name <- event_names, do: handler(handler_id, name, function, config)
        {:ok, handlers ++ new}
      end
    end)
  end

  def detach(handler_id) do
    update(fn handlers ->
      case Enum.reject(handlers, &(&1.id == handler_id)) do
        ^handlers -> {{:error, :not_found}, handlers}
        rest -> {:ok, rest}
      end
    end)
  end

  def execute(event_name, measurements), do: execute(event_name, measurements, %{})

  def execute(event_name, value, metadata) when is_number(value) do
    Logger.warning(
      "Using execute/3 with a single event value is deprecated. Use a measurement map instead."
    )

    execute(event_name, %{value: value}, metadata)
  end

  def execute([_ | _] = event_name, measurements, metadata)
      when is_map(measurements) and is_map(metadata) do
    for %{event_name: ^event_name} = handler <- handlers() do
      try do
        handler.function.(event_name, measurements, metadata, handler.config)
      catch
        kind, reason -> failed(handler, event_name, kind, reason, __STACKTRACE__)
      end
    end

    :ok
  end

  def span(event_prefix, start_metadata, span_function) do
    start = System.monotonic_time()
    context = make_ref()

    execute(
      event_prefix ++ [:start],
      %{monotonic_time: start, system_time: System.system_time()},
      with_context(start_metadata, context)
    )

    try do
      span_function.()
    catch
      kind, reason ->
        stop = System.monotonic_time()

        metadata =
          Map.merge(start_metadata, %{kind: kind, reason: reason, stacktrace: __STACKTRACE__})

        execute(
          event_prefix ++ [:exception],
          %{duration: stop - start, monotonic_time: stop},
          with_context(metadata, context)
        )

        :erlang.raise(kind, reason, __STACKTRACE__)
    else
      {result, stop_metadata} ->
        stopped(event_prefix, start, context, %{}, stop_metadata)
        result

      {result, extra, stop_metadata} ->
        stopped(event_prefix, start, context, extra, stop_metadata)
        result
    end
  end

  def list_handlers(event_prefix) do
    assert_list!(event_prefix)
    unless Enum.all?(event_prefix, &is_atom/1), do: :erlang.error(:badarg)
    Enum.filter(handlers(), &List.starts_with?(&1.event_name, event_prefix))
  end

  defp stopped(event_prefix, start, context, extra, stop_metadata) do
    stop = System.monotonic_time()

    execute(
      event_prefix ++ [:stop],
      Map.merge(extra, %{duration: stop - start, monotonic_time: stop}),
      with_context(stop_metadata, context)
    )
  end

  defp failed(handler, event_name, kind, reason, stacktrace) do
    detach(handler.id)

    execute(
      [:telemetry, :handler, :failure],
      %{monotonic_time: System.monotonic_time(), system_time: System.system_time()},
      %{
        event_name: event_name,
        handler_id: handler.id,
        handler_config: handler.config,
        kind: kind,
        reason: reason,
        stacktrace: stacktrace
      }
    )

    Logger.error(
      "Handler #{inspect(handler.id)} has failed and has been detached. " <>
        "Class=#{inspect(kind)}\nReason=#{inspect(reason)}\nStacktrace=#{inspect(stacktrace)}"
    )
  end

  defp with_context(%{telemetry_span_context: _} = metadata, _context), do: metadata
  defp with_context(metadata, context), do: Map.put(metadata, :telemetry_span_context, context)

  defp handler(id, event_name, function, config),
    do: %{id: id, event_name: event_name, function: function, config: config}

  defp handlers, do: :persistent_term.get(@table, [])

  defp update(fun) do
    :global.trans(
      {@table, self()},
      fn ->
        {reply, handlers} = fun.(handlers())
        :persistent_term.put(@table, handlers)
        reply
      end,
      [node()]
    )
  end

  defp assert_list!(list) when is_list(list), do: list
  defp assert_list!(_term), do: :erlang.error(:badarg)

  defp assert_event_name!([_ | _] = name) do
    unless Enum.all?(name, &is_atom/1), do: :erlang.error(:badarg)
  end

  defp assert_event_name!(_term), do: :erlang.error(:badarg)
end
