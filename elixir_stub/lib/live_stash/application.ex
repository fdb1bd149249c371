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
  # Only the adapters the app switched on get their processes, so an unused Redis is
  # never dialled and an unused Mnesia never started. A built-in adapter lists them in
  # its optional `child_specs/0`; an adapter written to the official `LiveStash.Adapter`
  # is started by its optional `child_spec/1`, given `[]`, as the official
  # `LiveStash.Application` starts it (the module itself is the child).
  def adapter_children(adapters) do
    Enum.flat_map(adapters, fn adapter ->
      cond do
        not Code.ensure_loaded?(adapter) ->
          []

        function_exported?(adapter, :child_specs, 0) ->
          adapter.child_specs()

        LiveStash.Official.adapter?(adapter) and function_exported?(adapter, :child_spec, 1) ->
          [adapter]

        true ->
          []
      end
    end)
  end
end
