defmodule LiveStash.Component.Writer do
  @moduledoc """
  Writes the LiveView's whole record (its last stashed assigns plus every component's
  state) from any socket of the LiveView process. A component socket carries the
  parent's id and endpoint, so the adapter pushes to (or stores for) the parent's view.
  """

  alias LiveStash.Record
  alias LiveStash.Component.Registry

  require Logger

  @spec write(Phoenix.LiveView.Socket.t(), Registry.t()) ::
          {:ok, Phoenix.LiveView.Socket.t()} | {:error, term()}
  def write(socket, %Registry{state: state} = registry) do
    components = Registry.components(registry)

    record = Record.new(state, registry.view, state.last_assigns || %{}, components)

    state.options.adapter.put(socket, state, record)
  rescue
    error -> {:error, error}
  end

  @doc "Writes, logging a failure (`what` says what was being done) instead of raising."
  @spec write!(Phoenix.LiveView.Socket.t(), Registry.t(), binary()) :: Phoenix.LiveView.Socket.t()
  def write!(socket, registry, what) do
    case write(socket, registry) do
      {:ok, socket} ->
        socket

      {:error, reason} ->
        Logger.warning(
          "LiveStash could not #{what} in #{inspect(registry.view)}: #{inspect(reason)}"
        )

        socket
    end
  end
end
