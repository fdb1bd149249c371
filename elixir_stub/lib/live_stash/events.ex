defmodule LiveStash.Events do
  @moduledoc """
  Names of the events pushed to the browser. They are one contract with the client
  (`src/core/protocol.ts`) and pinned by `contract/live-stash.contract.json`, so rename
  them only together with both.
  """

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

  @doc "Tells the client which server stash id (and node) to hand back on reconnect."
  def init_ets, do: "live-stash:init-ets"

  @doc "Tells the client which Redis stash id to hand back on reconnect."
  def init_redis, do: "live-stash:init-redis"

  @doc "Tells the client which Mnesia stash id to hand back on reconnect."
  def init_mnesia, do: "live-stash:init-mnesia"

  @doc "Name of the connect param the client fills in."
  def param_key, do: "liveStash"

  @doc "Key of the lease inside a browser stash's connect param, next to `stashedState`."
  def lease_key, do: "lease"
end
