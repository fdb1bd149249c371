defmodule Telemetry.Metrics do
  @moduledoc """
  TEST DOUBLE of `Telemetry.Metrics` (beam-telemetry/telemetry_metrics 1.0,
  `lib/telemetry_metrics.ex` and the five struct modules), its own small implementation
  of the documented constructors: `counter/2`, `sum/2`, `last_value/2`, `summary/2` and
  `distribution/2` each return their struct with the same fields and defaults.

    * The name is a dotted string or a list of atoms and is stored as a list of atoms;
      by default the event name is all but its last segment and the measurement is the
      last segment. `:event_name` (string or list) and `:measurement` override them.
    * `:tags` defaults to `[]`, `:tag_values` to the identity function, `:description`
      to nil, `:reporter_options` to `[]`, `:unit` to `:unit`.
    * A `{from, to}` unit of time (`:native`, `:second`, `:millisecond`,
      `:microsecond`, `:nanosecond`) or bytes (`:byte`, `:kilobyte`, `:megabyte`) stores
      `to` as the unit and wraps the measurement in a function that converts it (nil
      when the event lacks the measurement).
    * `:keep` or `:drop` (not both) becomes the `keep` predicate.
    * Bad names, units, tags, tag_values, descriptions or reporter options raise
      `ArgumentError`.

  Reporters (LiveDashboard, Prometheus, StatsD) read these structs; the suite only
  builds them, so no reporter is doubled.
  """

  alias Telemetry.Metrics.{Counter, Distribution, LastValue, Sum, Summary}

  def counter(name, options \\ []), do: struct(Counter, fields(name, options))
  def sum(name, options \\ []), do: struct(Sum, fields(name, options))
  def last_value(name, options \\ []), do: struct(LastValue, fields(name, options))
  def summary(name, options \\ []), do: struct(Summary, fields(name, options))
  def distribution(name, options \\ []), do: struct(Distribution, fields(name, options))

  @time_units [:native, :second, :millisecond, :microsecond, :nanosecond]
  @byte_factor %{byte: 1_000_000, kilobyte: 1_000, megabyte: 1}

  defp fields(name, options) do
    name = name!(name)
    {default_event, [default_measurement]} = Enum.split(name, -1)
    {event_name, options} = Keyword.pop(options, :event_name, default_event)
    {measurement, options} = Keyword.pop(options, :measurement, default_measurement)
    {keep, options} = Keyword.pop(options, :keep)
    {drop, options} = Keyword.pop(options, :drop)
    {unit, options} = Keyword.pop(options, :unit, :unit)
    {unit, ratio} = unit!(unit)
    check_options!(options)

    [tags: [], tag_values: & &1, description: nil, reporter_options: []]
    |> Keyword.merge(options)
    |> Map.new()
    |> Map.merge(%{
      name: name,
      event_name: name!(event_name),
      measurement: convert(measurement, ratio),
      keep: keep!(keep, drop),
      unit: unit
    })
  end

  defp name!(name) when name in ["", []],
    do: raise(ArgumentError, "metric or event name can't be empty")

  defp name!(name) when is_binary(name) do
    segments = String.split(name, ".")

    if "" in segments,
      do:
        raise(
          ArgumentError,
          "metric or event name #{name} contains leading, trailing or consecutive dots"
        )

    Enum.map(segments, &String.to_atom/1)
  end

  defp name!(name) when is_list(name) do
    if Enum.all?(name, &is_atom/1),
      do: name,
      else:
        raise(
          ArgumentError,
          "expected metric or event name to be a list of atoms or a string, got #{inspect(name)}"
        )
  end

  defp name!(name),
    do:
      raise(
        ArgumentError,
        "expected metric name to be a string or a list of atoms, got #{inspect(name)}"
      )

  defp unit!({unit, unit}) when unit in @time_units or is_map_key(@byte_factor, unit),
    do: {unit, 1}

  defp unit!({from, to} = unit) do
    cond do
      from in @time_units and to in @time_units ->
        {to, time_ratio(from, to)}

      is_map_key(@byte_factor, from) and is_map_key(@byte_factor, to) ->
        {to, @byte_factor[to] / @byte_factor[from]}

      true ->
        raise ArgumentError,
              "expected both elements of the unit conversion tuple to represent time or byte units, got #{inspect(unit)}"
    end
  end

  defp unit!(unit) when is_atom(unit), do: {unit, 1}

  defp unit!(unit),
    do:
      raise(
        ArgumentError,
        "expected unit to be an atom or a two-element tuple, got #{inspect(unit)}"
      )

  defp time_ratio(unit, unit), do: 1

  defp time_ratio(from, to) do
    case System.convert_time_unit(1, from, to) do
      0 -> 1 / System.convert_time_unit(1, to, from)
      ratio -> ratio
    end
  end

  defp convert(measurement, 1), do: measurement

  defp convert(measurement, ratio) when is_function(measurement, 1) do
    fn measurements ->
      if value = measurement.(measurements), do: value * ratio
    end
  end

  defp convert(measurement, ratio) do
    fn
      %{^measurement => nil} -> nil
      %{^measurement => value} -> value * ratio
      %{} -> nil
    end
  end

  defp keep!(nil, nil), do: nil
  defp keep!(keep, nil) when is_function(keep, 1), do: keep
  defp keep!(nil, drop) when is_function(drop, 1), do: &(not drop.(&1))

  defp keep!(keep, drop) when is_nil(keep) or is_nil(drop),
    do:
      raise(
        ArgumentError,
        "expected recording rule to be a function accepting metadata, got #{inspect(keep || drop)}"
      )

  defp keep!(_keep, _drop),
    do: raise(ArgumentError, "either the keep or drop option may be set, but not both")

  defp check_options!(options) do
    case Keyword.fetch(options, :tags) do
      {:ok, tags} when not is_list(tags) ->
        raise ArgumentError, "expected tag keys to be a list, got: #{inspect(tags)}"

      _ ->
        :ok
    end

    case Keyword.fetch(options, :tag_values) do
      {:ok, fun} when not is_function(fun, 1) ->
        raise ArgumentError,
              "expected tag_values fun to be a one-argument function, got: #{inspect(fun)}"

      _ ->
        :ok
    end

    case Keyword.fetch(options, :description) do
      {:ok, text} when not is_nil(text) and not is_binary(text) ->
        raise ArgumentError, "expected description to be a string, got #{inspect(text)}"

      _ ->
        :ok
    end

    with {:ok, opts} <- Keyword.fetch(options, :reporter_options) do
      unless Keyword.keyword?(opts),
        do:
          raise(
            ArgumentError,
            "expected reporter options to be a keyword list, got #{inspect(opts)}"
          )
    end
  end
end

for type <- [
      Telemetry.Metrics.Counter,
      Telemetry.Metrics.Sum,
      Telemetry.Metrics.LastValue,
      Telemetry.Metrics.Summary,
      Telemetry.Metrics.Distribution
    ] do
  defmodule type do
    @moduledoc "TEST DOUBLE of `#{inspect(type)}`: the fields of the real struct."
    defstruct [
      :name,
      :event_name,
      :measurement,
      :tags,
      :tag_values,
      :keep,
      :description,
      :unit,
      :reporter_options
    ]
  end
end
