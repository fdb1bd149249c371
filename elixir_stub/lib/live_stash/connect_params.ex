defmodule LiveStash.ConnectParams do
  @moduledoc false
  # Reads what the client handed back in its join params.
  #
  # The params come from the browser, so anything unexpected is treated as "nothing
  # stashed" instead of crashing the mount.

  alias LiveStash.Events

  defstruct reconnected?: false, restored?: false, keyed?: false, stash: nil, lease: nil

  @type stash ::
          nil
          | {:browser, token :: binary()}
          | {:browser_keys, manifest :: binary(), keys :: %{binary() => binary()}}
          | {:server, node_hint :: binary() | nil, stash_id :: binary()}
  @type t :: %__MODULE__{
          reconnected?: boolean(),
          restored?: boolean(),
          keyed?: boolean(),
          stash: stash(),
          lease: binary() | nil
        }

  # Bounds what we are willing to look at; our own ids and hints are far shorter.
  @max_id 256
  # A keyed stash holds one token per stored key (plus one for components); a view with
  # more keys than this is nothing our client sent.
  @max_keys 256
  @max_accept 16

  @doc "Reads the join params; anything malformed reads as nothing stashed."
  @spec parse(map() | nil) :: t()
  def parse(params) when is_map(params) do
    entry = Map.get(params, Events.param_key())

    %__MODULE__{
      reconnected?: reconnected?(Map.get(params, "_mounts")),
      restored?: is_map(entry) and Map.get(entry, "restored") == true,
      keyed?: keyed?(entry),
      stash: stash(entry),
      lease: lease(entry)
    }
  end

  def parse(_), do: %__MODULE__{}

  # LiveView counts mounts per view: 0 on the first join, more after a reconnect.
  defp reconnected?(mounts), do: is_integer(mounts) and mounts > 0

  defp stash(%{"stashedState" => token}) when is_binary(token) and token != "",
    do: {:browser, token}

  defp stash(%{} = entry) when is_map_key(entry, "stashedManifest") do
    with manifest when is_binary(manifest) and manifest != "" <- entry[Events.manifest_key()],
         {:ok, keys} <- keys(entry[Events.keys_key()]) do
      {:browser_keys, manifest, keys}
    else
      _ -> nil
    end
  end

  defp stash(%{"stashId" => id} = entry)
       when is_binary(id) and id != "" and byte_size(id) <= @max_id do
    case Map.get(entry, "node") do
      hint when is_binary(hint) and hint != "" -> {:server, hint, id}
      _ -> {:server, nil, id}
    end
  end

  defp stash(_), do: nil

  # Every name a string and every token a non-empty string, or nothing at all.
  defp keys(keys) when is_map(keys) and map_size(keys) <= @max_keys do
    if Enum.all?(keys, fn {name, token} ->
         is_binary(name) and byte_size(name) <= @max_id and is_binary(token) and token != ""
       end),
       do: {:ok, keys},
       else: :error
  end

  defp keys(_), do: :error

  # Per join: only a client that announced it takes keyed stashes.
  defp keyed?(%{} = entry) do
    announces?(Map.get(entry, Events.accept_key()), Events.keyed_capability(), @max_accept)
  end

  defp keyed?(_), do: false

  # Looks at no more than `left` entries, and tolerates an improper list.
  defp announces?([capability | _], capability, _left), do: true

  defp announces?([_ | rest], capability, left) when left > 1,
    do: announces?(rest, capability, left - 1)

  defp announces?(_other, _capability, _left), do: false

  # Only meaningful next to a browser token or manifest; a lease is far shorter than this bound.
  defp lease(entry)
       when is_map_key(entry, "stashedState") or is_map_key(entry, "stashedManifest") do
    case Map.get(entry, Events.lease_key()) do
      lease when is_binary(lease) and lease != "" and byte_size(lease) <= @max_id -> lease
      _ -> nil
    end
  end

  defp lease(_), do: nil
end
