defmodule LiveStash.Test.OfficialAdapters do
  @moduledoc """
  Adapters written from the official LiveStash documentation alone (`LiveStash.Adapter`
  on hexdocs, `docs/adapters.md`): five callbacks, nothing of live-stash's internals.
  What `init_stash/3` received is kept in `socket.private[:received_opts]`.
  """

  alias Phoenix.LiveView

  @doc "True on a rejoin (`_mounts` > 0), read as the official adapters read it."
  def reconnected?(socket) do
    LiveView.connected?(socket) and
      case LiveView.get_connect_params(socket) do
        %{"_mounts" => mounts} when is_integer(mounts) -> mounts > 0
        _ -> false
      end
  end

  defmodule AgentStash do
    @moduledoc "Keeps each view's stored assigns in an Agent it supervises (`child_spec/1`)."
    @behaviour LiveStash.Adapter

    alias LiveStash.Test.OfficialAdapters

    @impl true
    def child_spec(args) do
      start = {Agent, :start_link, [fn -> %{started_with: args} end, [name: __MODULE__]]}
      %{id: __MODULE__, start: start}
    end

    @doc "What the Agent holds for `key`."
    def stored(key), do: Agent.get(__MODULE__, &Map.get(&1, key))

    @impl true
    def init_stash(socket, _session, opts) do
      keys = Keyword.fetch!(opts, :stored_keys)

      socket
      |> LiveView.put_private(:received_opts, opts)
      |> LiveView.put_private(__MODULE__, %{key: {socket.view, socket.id}, keys: keys})
    end

    @impl true
    def stash(socket) do
      %{key: key, keys: keys} = socket.private[__MODULE__]

      if LiveView.connected?(socket),
        do: Agent.update(__MODULE__, &Map.put(&1, key, Map.take(socket.assigns, keys)))

      socket
    end

    @impl true
    def recover_state(socket) do
      %{key: key} = socket.private[__MODULE__]

      cond do
        not OfficialAdapters.reconnected?(socket) -> {:new, socket}
        stored = stored(key) -> {:recovered, Phoenix.Component.assign(socket, stored)}
        true -> {:not_found, socket}
      end
    end

    @impl true
    def reset_stash(socket) do
      %{key: key} = socket.private[__MODULE__]
      Agent.update(__MODULE__, &Map.delete(&1, key))
      socket
    end
  end

  defmodule Raising do
    @moduledoc """
    A store that is down: every call raises. `fail_init: true` refuses its options in
    `init_stash/3` instead, as the official adapters refuse unknown ones.
    """
    @behaviour LiveStash.Adapter

    @impl true
    def init_stash(socket, _session, opts) do
      if opts[:fail_init], do: raise(ArgumentError, "Unknown attribute passed: :fail_init")
      socket
    end

    @impl true
    def stash(_socket), do: raise("the store is down")

    @impl true
    def recover_state(_socket), do: exit(:store_down)

    @impl true
    def reset_stash(_socket), do: raise("the store is down")
  end

  defmodule Scoped do
    @moduledoc """
    Keyword `stored_keys` with a scope per key, as `durable_stash` takes them:
    `:session` keys recover on every mount, `:reconnect` keys only on a rejoin. Stored
    per session (`session["sid"]`) in the Agent of `AgentStash`, with the `vsn` option.
    """
    @behaviour LiveStash.Adapter

    alias LiveStash.Test.OfficialAdapters
    alias LiveStash.Test.OfficialAdapters.AgentStash

    @impl true
    def init_stash(socket, session, opts) do
      scopes = Keyword.fetch!(opts, :stored_keys)
      unless Keyword.keyword?(scopes), do: raise(ArgumentError, "stored_keys: [key: scope]")
      context = %{key: {__MODULE__, session["sid"]}, scopes: scopes, vsn: opts[:vsn]}

      socket
      |> LiveView.put_private(:received_opts, opts)
      |> LiveView.put_private(__MODULE__, context)
    end

    @impl true
    def stash(socket) do
      %{key: key, scopes: scopes, vsn: vsn} = socket.private[__MODULE__]
      data = Map.take(socket.assigns, Keyword.keys(scopes))
      Agent.update(AgentStash, &Map.put(&1, key, {vsn, data}))
      socket
    end

    @impl true
    def recover_state(socket) do
      %{key: key, scopes: scopes, vsn: vsn} = socket.private[__MODULE__]
      in_scope = for {name, scope} <- scopes, in_scope?(scope, socket), do: name

      case AgentStash.stored(key) do
        {^vsn, data} when in_scope != [] ->
          {:recovered, Phoenix.Component.assign(socket, Map.take(data, in_scope))}

        _ ->
          {:not_found, socket}
      end
    end

    defp in_scope?(:session, socket), do: LiveView.connected?(socket)
    defp in_scope?(:reconnect, socket), do: OfficialAdapters.reconnected?(socket)

    @impl true
    def reset_stash(socket) do
      %{key: key} = socket.private[__MODULE__]
      Agent.update(AgentStash, &Map.delete(&1, key))
      socket
    end
  end
end
