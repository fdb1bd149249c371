defmodule LiveStash.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [LiveStash.Adapters.ETS.Table]
    Supervisor.start_link(children, strategy: :one_for_one, name: LiveStash.Supervisor)
  end
end
