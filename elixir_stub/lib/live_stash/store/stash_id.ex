defmodule LiveStash.Store.StashId do
  @moduledoc false
  # The stash id the server adapters (ETS, Mnesia, Redis) hand the browser, and what they
  # derive from it. The id is random and opaque; the store key is a hash of the id and the
  # per-view scope (the secret, and the session binding with `:session_key`:
  # `LiveStash.Secret.scope/2`), so another session holding the id finds nothing.
  # A reconnect keeps the id it brought; a fresh mount rotates it, so an id handed to
  # another page never recovers there.

  alias LiveStash.{Secret, State}

  @doc "The id for this mount: the incoming one on a reconnect, a new one on a fresh mount."
  @spec for_mount(State.t()) :: String.t()
  def for_mount(%State{fresh?: false, incoming: %{stash: {:server, _hint, id}}}), do: id
  def for_mount(%State{}), do: new()

  @doc "A new random id (128 bits)."
  @spec new() :: String.t()
  def new, do: Base.url_encode64(:crypto.strong_rand_bytes(16), padding: false)

  @doc "The store key of the state's stash."
  @spec key(State.t()) :: binary()
  def key(%State{stash_id: id} = state), do: row_key(scope(state), id)

  @doc "What row keys of this view are hashed with (see `LiveStash.Secret.scope/2`)."
  @spec scope(State.t()) :: binary()
  def scope(%State{options: %{secret: secret}, session: session}),
    do: Secret.scope(secret, session)

  @doc false
  # Public for the test suite, which checks what is (not) written.
  def row_key(scope, id), do: :crypto.hash(:sha256, [scope, 0, id])

  @doc "The view's `:ttl` option in milliseconds."
  @spec ttl_ms(State.t()) :: non_neg_integer()
  def ttl_ms(%State{options: %{ttl: ttl}}), do: trunc(ttl * 1000)
end
