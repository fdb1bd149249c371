defmodule LiveStash.Test.OfficialAdapters do
  @moduledoc """
  Adapters written from the official LiveStash documentation alone (`LiveStash.Adapter`
  on hexdocs, `docs/adapters.md`): five callbacks, nothing of live-stash's internals.
  The Agent store the suite also runs is the example of `LiveStash.Adapter`'s own docs.
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
    per session (`session["sid"]`), with its `vsn` option, in an ETS table its
    `child_spec/1` owns. What `init_stash/3` received is kept in
    `socket.private[:received_opts]`.
    """
    @behaviour LiveStash.Adapter

    alias LiveStash.Test.OfficialAdapters

    @impl true
    def child_spec(args) do
      owner = fn ->
        :ets.new(__MODULE__, [:named_table, :public])
        :ets.insert(__MODULE__, {:started_with, args})
        Process.sleep(:infinity)
      end

      %{id: __MODULE__, start: {Task, :start_link, [owner]}}
    end

    @doc "What the table holds for `key`, or nil."
    def stored(key) do
      case :ets.lookup(__MODULE__, key) do
        [{^key, value}] -> value
        [] -> nil
      end
    end

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
      :ets.insert(__MODULE__, {key, {vsn, data}})
      socket
    end

    @impl true
    def recover_state(socket) do
      %{key: key, scopes: scopes, vsn: vsn} = socket.private[__MODULE__]
      in_scope = for {name, scope} <- scopes, in_scope?(scope, socket), do: name

      case stored(key) do
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
      :ets.delete(__MODULE__, socket.private[__MODULE__].key)
      socket
    end
  end
end
