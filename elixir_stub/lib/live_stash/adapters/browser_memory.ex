defmodule LiveStash.Adapters.BrowserMemory do
  @moduledoc """
  Keeps the stash in the browser as a `Phoenix.Token`, signed or (with
  `security_mode: :encrypt`) encrypted, valid for `:ttl` seconds.

  The server keeps nothing, so this survives server restarts and deploys; the price is
  that the token travels with every reconnect.
  """

  @behaviour LiveStash.Adapter

  alias LiveStash.{Events, Push, Record, State}

  @impl true
  def mount(socket, %State{fresh?: true} = state) do
    # A fresh mount must not pick up what an earlier visit left in the tab.
    {Push.event(socket, Events.init_browser_memory(), %{}), state}
  end

  def mount(socket, state), do: {socket, state}

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    token = token(socket, state, Record.encode(record))
    {:ok, Push.event(socket, Events.stash_state(), %{assigns: token})}
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:browser, token}}} = state) do
    case open(socket, state, token) do
      {:ok, binary} -> Record.decode(binary)
      # An expired token means nothing usable is stored, not that someone tampered.
      {:error, :expired} -> :not_found
      {:error, :missing} -> :not_found
      {:error, reason} -> {:error, reason}
    end
  end

  def fetch(_socket, _state), do: :not_found

  @impl true
  def drop(socket, state), do: {Push.event(socket, Events.init_browser_memory(), %{}), state}

  @impl true
  def keep_alive(socket, %State{} = state) do
    # Components stash through their parent: a parent that never stashed may still carry them.
    components = LiveStash.Component.Host.components(socket)

    if is_nil(state.last_assigns) and components == %{} do
      socket
    else
      assigns = state.last_assigns || %{}
      record = Record.new(assigns, socket.view, state.options.version, components)
      {:ok, socket} = put(socket, state, record)
      socket
    end
  end

  defp token(socket, %State{options: %{security_mode: :encrypt, ttl: ttl}, secret: salt}, data),
    do: Phoenix.Token.encrypt(socket.endpoint, salt, data, max_age: ttl)

  defp token(socket, %State{options: %{ttl: ttl}, secret: salt}, data),
    do: Phoenix.Token.sign(socket.endpoint, salt, data, max_age: ttl)

  defp open(socket, %State{options: %{security_mode: :encrypt, ttl: ttl}, secret: salt}, token),
    do: Phoenix.Token.decrypt(socket.endpoint, salt, token, max_age: ttl)

  defp open(socket, %State{options: %{ttl: ttl}, secret: salt}, token),
    do: Phoenix.Token.verify(socket.endpoint, salt, token, max_age: ttl)
end
