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

  @doc "Fetches what the client pointed at in its connect params."
  @callback fetch(Socket.t(), State.t()) :: {:ok, term()} | :not_found | {:error, term()}

  @doc "Forgets the stash, making sure the client forgets it too."
  @callback drop(Socket.t(), State.t()) :: {Socket.t(), State.t()}

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
