defmodule LiveStash.Events do
  @moduledoc false
  # Names of the events pushed to the browser. They are one contract with the client
  # (`src/core/protocol.ts`) and pinned by `contract/live-stash.contract.json`, so rename
  # them only together with both.

  @doc "Tells the client to drop whatever it keeps for this view."
  def init_browser_memory, do: "live-stash:init-browser-memory"

  @doc "Carries a new browser token for this view."
  def stash_state, do: "live-stash:stash-state"

  @doc """
  Carries a fresh lease for the browser token the view already holds
  (`%{lease: lease, ttl: seconds}`);
  the client hands it back next to that token. The official client ignores it.
  """
  def lease, do: "live-stash:lease"

  @doc """
  Carries a keyed browser stash (`%{manifest: token, keys: %{name => token}, names: [name]}`):
  the new manifest, the tokens of the keys that changed, and every current key's name.
  Pushed only to a client whose join accepted `keyed_capability/0`.
  """
  def stash_keys, do: "live-stash:stash-keys"

  @doc "Tells the client which server stash id (and node) to hand back on reconnect."
  def init_ets, do: "live-stash:init-ets"

  @doc "Tells the client which Redis stash id to hand back on reconnect."
  def init_redis, do: "live-stash:init-redis"

  @doc "Tells the client which Mnesia stash id to hand back on reconnect."
  def init_mnesia, do: "live-stash:init-mnesia"

  @doc "Name of the connect param the client fills in."
  def param_key, do: "liveStash"

  @doc "Key of the list of capabilities our client announces in its connect param."
  def accept_key, do: "accept"

  @doc "The capability of taking keyed stashes (`stash_keys/0`)."
  def keyed_capability, do: "keys"

  @doc "Key of a keyed stash's manifest token inside the connect param."
  def manifest_key, do: "stashedManifest"

  @doc "Key of a keyed stash's `%{name => token}` inside the connect param."
  def keys_key, do: "stashedKeys"

  @doc "Key of the lease inside a browser stash's connect param, next to `stashedState` or `stashedManifest`."
  def lease_key, do: "lease"
end
