defmodule LiveStash.Adapters.Redis.Client do
  @moduledoc """
  The one Redis connection LiveStash uses, over whichever client library the app has:
  Redix when it is a dependency (the official library's choice), else eredis (Debian's
  `erlang-redis-client`, hex `eredis`). Both speak RESP for us; this module only maps
  our few commands onto them and their replies onto one shape.

  Every call is bounded by the configured `:timeout` and returns `{:error, reason}`
  instead of raising or exiting, so a Redis that is down never takes a LiveView along.
  """

  alias LiveStash.Adapters.Redis.Config

  @type reply :: nil | binary() | integer() | [reply()]

  @doc "Starts the connection; it must not fail while Redis is down, only reconnect."
  @callback start_link(Config.t(), name :: atom()) :: GenServer.on_start()

  @doc "Runs one command; `nil` for a missing value, `{:error, _}` for any failure."
  @callback command(name :: atom(), [binary()], timeout()) :: {:ok, reply()} | {:error, term()}

  @name LiveStash.Adapters.Redis.Connection

  # Which library and timeout the connection was started with, where every LiveView
  # reads them without a lookup on the code path; refreshed whenever the supervisor
  # (re)builds the child spec.
  @setup {__MODULE__, :setup}

  @doc "The supervised connection, named so LiveView processes call it directly."
  @spec child_spec(term()) :: Supervisor.child_spec()
  def child_spec(_arg) do
    config = Config.fetch!()
    impl = impl()
    :persistent_term.put(@setup, {impl, config.timeout})
    %{id: @name, start: {impl, :start_link, [config, @name]}}
  end

  @doc """
  Runs `args` on the shared connection within the configured timeout, or within
  `max_timeout` when that is shorter (a recovery's retry budget running out).
  """
  @spec command([binary()], timeout()) :: {:ok, reply()} | {:error, term()}
  def command(args, max_timeout \\ :infinity) do
    case :persistent_term.get(@setup, nil) do
      {impl, timeout} -> impl.command(@name, args, min(timeout, max_timeout))
      nil -> {:error, :not_started}
    end
  end

  @doc "The implementation in use: Redix when the app has it, otherwise eredis."
  @spec impl() :: module()
  def impl, do: impl(&Code.ensure_loaded?/1, :code.lib_dir())

  @doc false
  # `loaded?` and `lib_dir` (OTP's library directory) are arguments so the suite can
  # play an Elixir that prunes code paths (>= 1.15), which its own Elixir may not.
  def impl(loaded?, lib_dir) do
    cond do
      loaded?.(Redix) -> LiveStash.Adapters.Redis.Redix
      loaded?.(:eredis) -> LiveStash.Adapters.Redis.Eredis
      true -> raise ArgumentError, missing_client(lib_dir)
    end
  end

  defp missing_client(lib_dir) do
    case Path.wildcard(Path.join([to_string(lib_dir), "*", "ebin", "eredis.beam"])) do
      [beam | _] -> pruned(Path.dirname(beam))
      [] -> not_installed()
    end
  end

  # Debian's erlang-redis-client lives in OTP's lib directory, outside Mix's deps. Since
  # Elixir 1.15 Mix removes the code paths of applications the project does not list
  # (`prune_code_paths`, `-pa` and `ERL_LIBS` paths included), so the package is
  # installed and still not found.
  defp pruned(ebin) do
    "LiveStash.Adapters.Redis cannot load eredis, although Debian's erlang-redis-client " <>
      "package is installed (#{ebin}): Mix (Elixir 1.15 and later) prunes the code paths " <>
      "of applications that are not dependencies of your project. Add " <>
      "`prune_code_paths: false` to the `project` list in your mix.exs, or add " <>
      "`{:redix, \"~> 1.1\"}` or `{:eredis, \"~> 1.2\"}` to your deps instead."
  end

  defp not_installed do
    "LiveStash.Adapters.Redis needs a Redis client library. Add `{:redix, \"~> 1.1\"}` " <>
      "to your deps, or install eredis (`{:eredis, \"~> 1.2\"}`, or Debian's " <>
      "erlang-redis-client package)."
  end
end
