defmodule LiveStash.Adapters.Redis.Eredis do
  @moduledoc false
  # `LiveStash.Adapters.Redis.Driver` over eredis. eredis reconnects on its own every
  # `reconnect_sleep` ms and answers `{:error, :no_connection}` meanwhile, so a Redis that
  # is down or restarting costs a call nothing but that error.

  @behaviour LiveStash.Adapters.Redis.Driver

  alias LiveStash.Adapters.Redis.Config

  @reconnect_sleep_ms 100

  @impl true
  def start_link(%Config{} = config, name) do
    check_supported!(config)

    # eredis connects in the background (an integer reconnect_sleep), so a Redis that is
    # down at boot does not stop the app; it just is not there yet.
    with {:ok, pid} <- :eredis.start_link(options(config)) do
      true = Process.register(pid, name)
      {:ok, pid}
    end
  end

  @doc false
  def options(%Config{} = config) do
    [
      host: String.to_charlist(config.host),
      port: config.port,
      database: config.database,
      password: String.to_charlist(config.password || ""),
      reconnect_sleep: @reconnect_sleep_ms,
      connect_timeout: config.timeout
    ]
  end

  @impl true
  def command(name, args, timeout) do
    name |> :eredis.q(args, timeout) |> reply()
  catch
    # A call that times out or finds no connection process exits; the caller only
    # needs to know it failed.
    :exit, reason -> {:error, exit_reason(reason)}
  end

  @doc false
  def reply({:ok, :undefined}), do: {:ok, nil}
  def reply({:ok, value}), do: {:ok, value}
  def reply({:error, message}) when is_binary(message), do: {:error, {:redis, message}}
  def reply({:error, reason}), do: {:error, reason}

  defp exit_reason({:timeout, _call}), do: :timeout
  defp exit_reason({:noproc, _call}), do: :no_connection
  defp exit_reason({reason, _call}), do: reason
  defp exit_reason(reason), do: reason

  defp check_supported!(%Config{ssl: true}) do
    raise ArgumentError,
          "eredis cannot talk TLS (rediss://); add {:redix, \"~> 1.1\"} to your deps for it"
  end

  defp check_supported!(%Config{username: user}) when is_binary(user) do
    raise ArgumentError,
          "eredis cannot log in with a Redis ACL username; add {:redix, \"~> 1.1\"} for it"
  end

  defp check_supported!(_config), do: :ok
end
