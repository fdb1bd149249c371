defmodule LiveStash.Adapter do
  @moduledoc """
  Where stashes live. An adapter only stores and fetches `LiveStash.Record`s; the
  checks (view, version, status) live in `LiveStash` so every adapter agrees on them.
  """

  alias LiveStash.{Record, State}
  alias Phoenix.LiveView.Socket

  @doc "Prepares a connected mount, e.g. pushing the client the id it must hand back."
  @callback mount(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @doc "Writes a record (already known to differ from the last one)."
  @callback put(Socket.t(), State.t(), Record.t()) :: {:ok, Socket.t()} | {:error, term()}

  @doc """
  Fetches what the client pointed at in its connect params: `:not_found` when nothing
  is stored, `{:not_found, reason}` when what was stored is no longer usable (an
  expired token), `{:error, reason}` when it is rejected or the store failed. Reasons
  are `LiveStash.Failure`'s atoms where one fits.
  """
  @callback fetch(Socket.t(), State.t()) ::
              {:ok, term()} | :not_found | {:not_found, atom()} | {:error, term()}

  @doc "Forgets the stash, making sure the client forgets it too."
  @callback drop(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @doc """
  Lets go of a stash that belongs to another view (another module, or a sibling
  instance the client handed the same stash): it stays in place, untouched, and this
  view moves to a fresh stash of its own, so neither overwrites nor deletes the other's.
  """
  @callback leave(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @doc "Extends the stash's lifetime while the LiveView is alive."
  @callback keep_alive(Socket.t(), State.t()) :: Socket.t()

  @doc "What the adapter needs supervised; started by the app only when it is active."
  @callback child_specs() :: [Supervisor.child_spec() | module() | {module(), term()}]

  @doc """
  Optional: renews what was just recovered without writing it again (a browser token
  gets a lease). Adapters without it are rewritten at once after a recovery.
  """
  @callback renew(Socket.t(), State.t()) :: {Socket.t(), State.t()}

  @optional_callbacks child_specs: 0, renew: 2
end
