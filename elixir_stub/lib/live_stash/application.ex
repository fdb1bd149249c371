defmodule LiveStash.Application do
  @moduledoc false
  use Application

  alias LiveStash.Options

  @impl true
  def start(_type, _args) do
    children = adapter_children(Options.active_adapters())
    Supervisor.start_link(children, strategy: :one_for_one, name: LiveStash.Supervisor)
  end

  @doc false
  # An adapter that needs processes (a table owner, a connection) lists them in its
  # optional `child_specs/0`; only the adapters the app switched on get them, so an
  # unused Redis is never dialled and an unused Mnesia never started.
  def adapter_children(adapters) do
    Enum.flat_map(adapters, fn adapter ->
      if Code.ensure_loaded?(adapter) and function_exported?(adapter, :child_specs, 0),
        do: adapter.child_specs(),
        else: []
    end)
  end
end
