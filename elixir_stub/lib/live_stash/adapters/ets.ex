defmodule LiveStash.Adapters.ETS do
  @moduledoc """
  Keeps the stash in a node-local ETS table (the default adapter, always active).

  The browser only holds a random `stashId` and an encrypted node hint. Rows are keyed
  by a hash of the id and the per-view secret, so with `:session_key` another session
  holding the id still finds nothing. The id is rotated on every fresh mount.
  """

  @behaviour LiveStash.Adapter

  alias LiveStash.{Events, Push, Record, State}
  alias LiveStash.Adapters.ETS.{Cluster, NodeHint, Table}

  @impl true
  def child_specs, do: [Table]

  @impl true
  def mount(socket, %State{} = state) do
    id =
      case state do
        %State{fresh?: false, incoming: %{stash: {:server, _hint, id}}} -> id
        _ -> new_id()
      end

    announce(socket, %State{state | stash_id: id})
  end

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    :ok = Table.put(key(state), record, ttl_ms(state))
    {:ok, socket}
  rescue
    error in ArgumentError -> {:error, error}
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:server, hint, _id}}} = state) do
    Cluster.lookup(key(state), NodeHint.decode(socket.endpoint, hint))
  end

  def fetch(_socket, _state), do: :not_found

  @impl true
  def drop(socket, %State{} = state) do
    :ok = Table.delete(key(state))
    {socket, state}
  rescue
    # Without the table the old row cannot be reached either; a new id makes sure the
    # client never hands the old one back.
    ArgumentError -> announce(socket, %State{state | stash_id: new_id()})
  end

  @impl true
  def keep_alive(socket, %State{stash_id: nil}), do: socket

  def keep_alive(socket, %State{} = state) do
    Table.touch(key(state))
    socket
  end

  defp announce(socket, %State{stash_id: id} = state) do
    payload = %{node: NodeHint.encode(socket.endpoint), stashId: id}
    {Push.event(socket, Events.init_ets(), payload), state}
  end

  defp key(%State{secret: secret, stash_id: id}), do: row_key(secret, id)

  @doc false
  # Public for the test suite, which checks what is (not) written.
  def row_key(secret, id), do: :crypto.hash(:sha256, [secret, 0, id])

  defp ttl_ms(%State{options: %{ttl: ttl}}), do: trunc(ttl * 1000)

  defp new_id, do: Base.url_encode64(:crypto.strong_rand_bytes(16), padding: false)
end
