defmodule LiveStash.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = Enum.flat_map(LiveStash.Options.active_adapters(), &child_specs/1)
    Supervisor.start_link(children, strategy: :one_for_one, name: LiveStash.Supervisor)
  end

  # Each active adapter brings what it needs supervised (a table, a connection).
  defp child_specs(adapter) do
    Code.ensure_loaded(adapter)
    if function_exported?(adapter, :child_specs, 0), do: adapter.child_specs(), else: []
  end
end
