defmodule LiveStash.ConnectParams do
  @moduledoc """
  Reads what the client handed back in its join params.

  The params come from the browser, so anything unexpected is treated as "nothing
  stashed" instead of crashing the mount.
  """

  defstruct reconnected?: false, restored?: false, stash: nil, lease: nil

  @type stash ::
          nil
          | {:browser, token :: binary()}
          | {:server, node_hint :: binary() | nil, stash_id :: binary()}
  @type t :: %__MODULE__{
          reconnected?: boolean(),
          restored?: boolean(),
          stash: stash(),
          lease: binary() | nil
        }

  # Bounds what we are willing to look at; our own ids and hints are far shorter.
  @max_id 256

  @spec parse(map() | nil) :: t()
  def parse(params) when is_map(params) do
    entry = Map.get(params, LiveStash.Events.param_key())

    %__MODULE__{
      reconnected?: reconnected?(Map.get(params, "_mounts")),
      restored?: is_map(entry) and Map.get(entry, "restored") == true,
      stash: stash(entry),
      lease: lease(entry)
    }
  end

  def parse(_), do: %__MODULE__{}

  # LiveView counts mounts per view: 0 on the first join, more after a reconnect.
  defp reconnected?(mounts), do: is_integer(mounts) and mounts > 0

  defp stash(%{"stashedState" => token}) when is_binary(token) and token != "",
    do: {:browser, token}

  defp stash(%{"stashId" => id} = entry)
       when is_binary(id) and id != "" and byte_size(id) <= @max_id do
    case Map.get(entry, "node") do
      hint when is_binary(hint) and hint != "" -> {:server, hint, id}
      _ -> {:server, nil, id}
    end
  end

  defp stash(_), do: nil

  # Only meaningful next to a browser token; a lease is far shorter than this bound.
  defp lease(%{"stashedState" => _} = entry) do
    case Map.get(entry, LiveStash.Events.lease_key()) do
      lease when is_binary(lease) and lease != "" and byte_size(lease) <= @max_id -> lease
      _ -> nil
    end
  end

  defp lease(_), do: nil
end
