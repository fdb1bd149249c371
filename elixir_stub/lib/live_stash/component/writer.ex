defmodule LiveStash.Component.Writer do
  @moduledoc """
  Writes the LiveView's whole record (its last stashed assigns plus every component's
  state) from any socket of the LiveView process. A component socket carries the
  parent's id and endpoint, so the adapter pushes to (or stores for) the parent's view.
  """

  alias LiveStash.{Record, Telemetry}
  alias LiveStash.Component.Registry

  require Logger

  @doc """
  Writes the record `registry` describes; on success the registry, noting what the record
  now holds, is kept and returned.
  """
  @spec write(Phoenix.LiveView.Socket.t(), Registry.t()) ::
          {:ok, Phoenix.LiveView.Socket.t(), Registry.t()} | {:error, term()}
  def write(socket, %Registry{state: state} = registry) do
    components = Registry.components(registry)

    record = Record.new(state, registry.view, state.last_assigns || %{}, components)

    case Telemetry.stash(socket, state, fn -> state.options.adapter.put(socket, state, record) end) do
      {:ok, socket} ->
        registry = Registry.written(registry)
        :ok = Registry.put(socket, registry)
        {:ok, socket, registry}

      {:error, reason} ->
        {:error, reason}
    end
  rescue
    error -> {:error, error}
  end

  @doc "Writes, logging a failure (`what` says what was being done) instead of raising."
  @spec write!(Phoenix.LiveView.Socket.t(), Registry.t(), binary()) :: Phoenix.LiveView.Socket.t()
  def write!(socket, registry, what) do
    {_result, socket} = write_logged(socket, registry, what)
    socket
  end

  @doc "As `write!/3`, also telling whether the write worked."
  @spec write_logged(Phoenix.LiveView.Socket.t(), Registry.t(), binary()) ::
          {:ok | :error, Phoenix.LiveView.Socket.t()}
  def write_logged(socket, registry, what) do
    case write(socket, registry) do
      {:ok, socket, _registry} ->
        {:ok, socket}

      {:error, reason} ->
        Logger.warning(
          "LiveStash could not #{what} in #{inspect(registry.view)}: #{inspect(reason)}"
        )

        {:error, socket}
    end
  end
end
