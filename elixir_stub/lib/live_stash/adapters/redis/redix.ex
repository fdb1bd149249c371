defmodule LiveStash.Adapters.Redis.Redix do
  @moduledoc false
  # `LiveStash.Adapters.Redis.Driver` over Redix, used when the app depends on it.
  # Redix is optional, so this compiles without it; its errors are matched as plain maps
  # for the same reason.

  @behaviour LiveStash.Adapters.Redis.Driver

  @compile {:no_warn_undefined, Redix}

  alias LiveStash.Adapters.Redis.Config

  @impl true
  def start_link(config, name), do: start_link(Redix, config, name)

  @doc false
  # The driver is a parameter so the suite can check the mapping against a double.
  def start_link(redix, %Config{} = config, name), do: redix.start_link(options(config, name))

  @doc false
  def options(%Config{} = config, name) do
    # Connect in the background and keep trying, so a Redis that is down at boot or
    # later never stops the app; commands fail fast with a connection error meanwhile.
    [
      host: config.host,
      port: config.port,
      database: config.database,
      ssl: config.ssl,
      name: name,
      sync_connect: false,
      exit_on_disconnection: false
    ]
    |> put_some(:username, config.username)
    |> put_some(:password, config.password)
    |> Keyword.merge(config.extra)
  end

  @impl true
  def command(name, args, timeout), do: command(Redix, name, args, timeout)

  @doc false
  def command(redix, name, args, timeout) do
    name |> redix.command(args, timeout: timeout) |> reply()
  catch
    :exit, reason -> {:error, exit_reason(reason)}
  end

  @doc false
  def reply({:ok, value}), do: {:ok, value}

  def reply({:error, %{__struct__: Redix.Error, message: message}}),
    do: {:error, {:redis, message}}

  def reply({:error, %{__struct__: Redix.ConnectionError, reason: reason}}), do: {:error, reason}
  def reply({:error, reason}), do: {:error, reason}

  defp exit_reason({:noproc, _call}), do: :no_connection
  defp exit_reason({reason, _call}), do: reason
  defp exit_reason(reason), do: reason

  defp put_some(opts, _key, nil), do: opts
  defp put_some(opts, key, value), do: Keyword.put(opts, key, value)
end
