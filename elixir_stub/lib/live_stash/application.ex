defmodule LiveStash.Application do
  @moduledoc false
  use Application

  alias LiveStash.Options

  @impl true
  def start(_type, _args) do
    children = [LiveStash.Adapters.ETS.Table | adapter_children(Options.active_adapters())]
    Supervisor.start_link(children, strategy: :one_for_one, name: LiveStash.Supervisor)
  end

  @doc false
  # An adapter that needs processes lists them in its optional `children/0`; only the
  # adapters the app switched on get them, so an unused Redis is never dialled.
  def adapter_children(adapters) do
    Enum.flat_map(adapters, fn adapter ->
      if Code.ensure_loaded?(adapter) and function_exported?(adapter, :children, 0),
        do: adapter.children(),
        else: []
    end)
  end
end
