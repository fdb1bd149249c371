defmodule LiveStash.Adapter do
  @moduledoc """
  The behaviour a third-party adapter implements: the official LiveStash's five
  callbacks, so an adapter written for the official library (`durable_stash`, say) runs
  here unchanged. The built-in adapters use a richer internal protocol instead.

  A LiveView picks the adapter with `use LiveStash, adapter: MyApp.SessionStash,
  stored_keys: [...]`, and the app switches it on in its config, which also starts the
  adapter's optional `child_spec/1` under LiveStash's supervisor:

      config :live_stash, adapters: [MyApp.SessionStash]

  On every mount (disconnected and connected) LiveStash calls `init_stash/3` with every
  option of `use LiveStash` but `:adapter`: `:stored_keys` in whatever form the adapter
  reads (`[:count]`, or `[theme: :session, draft: :reconnect]`), and any option of its
  own (`vsn: 2`). `LiveStash.stash/1`, `recover_state/1` and `reset_stash/1` then call
  the adapter, and `recover_state/1` returns its status unchanged. `auto_stash: true`
  works: LiveStash calls `stash/1` after renders that changed a stored assign.

  Not offered to such an adapter, because they need the internal protocol: keyed browser
  pushes and leases, `LiveStash.Component` states, keep-alive and write-behind. An
  `init_stash/3` that raises fails the mount, as in the official library; a raise or exit
  in the other callbacks is caught with one warning, and `recover_state/1` is then
  `:error` (the official library would crash the LiveView).

  A complete adapter, one stash per signed-in user and LiveView kept in an `Agent`,
  recovered on a reconnect (see the "Custom adapters" guide for a walk through it):

      defmodule MyApp.SessionStash do
        @behaviour LiveStash.Adapter

        alias Phoenix.LiveView

        @impl true
        def child_spec(_args),
          do: %{id: __MODULE__, start: {Agent, :start_link, [fn -> %{} end, [name: __MODULE__]]}}

        @impl true
        def init_stash(socket, session, opts) do
          keys = Keyword.fetch!(opts, :stored_keys)
          key = {Map.fetch!(session, "user_token"), socket.view}
          LiveView.put_private(socket, __MODULE__, %{key: key, keys: keys})
        end

        @impl true
        def stash(socket) do
          %{key: key, keys: keys} = socket.private[__MODULE__]
          stored = Map.take(socket.assigns, keys)
          if LiveView.connected?(socket), do: Agent.update(__MODULE__, &Map.put(&1, key, stored))
          socket
        end

        @impl true
        def recover_state(socket) do
          %{key: key} = socket.private[__MODULE__]

          cond do
            not LiveView.connected?(socket) -> {:new, socket}
            LiveView.get_connect_params(socket)["_mounts"] in [nil, 0] -> {:new, socket}
            stored = Agent.get(__MODULE__, &Map.get(&1, key)) -> {:recovered, Phoenix.Component.assign(socket, stored)}
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
  """

  alias Phoenix.LiveView.Socket

  @typedoc "What `recover_state/1` returns with the socket."
  @type recovery_status :: :recovered | :not_found | :new | :error

  @doc """
  Prepares the socket on every mount (disconnected and connected) and returns it.
  `session` is the LiveView's session; `opts` every option of `use LiveStash` but
  `:adapter`. Raise `ArgumentError` here for options the adapter refuses.

      @impl true
      def init_stash(socket, _session, opts) do
        Phoenix.LiveView.put_private(socket, __MODULE__, Keyword.fetch!(opts, :stored_keys))
      end
  """
  @callback init_stash(socket :: Socket.t(), session :: map() | keyword(), opts :: keyword()) ::
              Socket.t()

  @doc """
  Stores the stashed assigns; called by `LiveStash.stash/1` and by auto_stash. Returns
  the socket.

      @impl true
      def stash(socket) do
        keys = socket.private[__MODULE__]
        :ok = MyStore.put(socket.id, Map.take(socket.assigns, keys))
        socket
      end
  """
  @callback stash(socket :: Socket.t()) :: Socket.t()

  @doc """
  Restores what was stashed into the socket; called by `LiveStash.recover_state/1` from
  `mount/3`. Returns `{status, socket}`: `:new` on a first mount, `:recovered`,
  `:not_found` when nothing is stored, `:error` when the store failed.

      @impl true
      def recover_state(socket) do
        case MyStore.get(socket.id) do
          {:ok, assigns} -> {:recovered, Phoenix.Component.assign(socket, assigns)}
          :error -> {:not_found, socket}
        end
      end
  """
  @callback recover_state(socket :: Socket.t()) :: {recovery_status(), Socket.t()}

  @doc """
  Forgets the stash, so the next reconnect starts fresh; called by
  `LiveStash.reset_stash/1`. Returns the socket.

      @impl true
      def reset_stash(socket) do
        :ok = MyStore.delete(socket.id)
        socket
      end
  """
  @callback reset_stash(socket :: Socket.t()) :: Socket.t()

  @doc """
  Optional: what the adapter needs supervised, started with `[]` under LiveStash's
  supervisor when the adapter is listed in `config :live_stash, adapters: [...]`.

      @impl true
      def child_spec(_args), do: MyStore.child_spec(name: MyStore)
  """
  @callback child_spec(args :: term()) :: Supervisor.child_spec()

  @optional_callbacks child_spec: 1
end
