defmodule LiveStash.Component do
  @moduledoc """
  Stash chosen assigns of a `Phoenix.LiveComponent` inside its parent LiveView's stash.

      defmodule MyAppWeb.TodoItem do
        use MyAppWeb, :live_component
        use LiveStash.Component, stored_keys: [:editing, :draft]

        def mount(socket), do: {:ok, assign(socket, editing: false, draft: "")}

        def update(assigns, socket) do
          {_status, socket} = socket |> assign(assigns) |> LiveStash.recover_state()
          {:ok, socket}
        end

        def handle_event("type", %{"draft" => draft}, socket) do
          {:noreply, socket |> assign(:draft, draft) |> LiveStash.stash()}
        end
      end

  The parent LiveView must `use LiveStash` (and call `LiveStash.recover_state/1` in its
  `mount/3`): adapter, ttl and version come from it. See the README for the limits.
  """

  alias LiveStash.Component.{Host, Options, Registry, Sweep, Writer}
  alias LiveStash.Fingerprint

  require Logger

  @private :live_stash_component
  @in_update {__MODULE__, :in_update}

  defmacro __using__(opts) do
    quote bind_quoted: [opts: opts] do
      @live_stash_component LiveStash.Component.Options.validate!(opts)
      @before_compile LiveStash.Component

      @doc false
      def __live_stash_component__, do: @live_stash_component
    end
  end

  # Wraps update/2 (and handle_event/3 with auto_stash) so the component learns its
  # module and id, answers liveness pings, and auto-stashes; user code runs unchanged.
  defmacro __before_compile__(env) do
    if Module.defines?(env.module, {:update_many, 1}) do
      raise ArgumentError,
            "#{inspect(env.module)} defines update_many/1, which LiveStash.Component does not " <>
              "support; use update/2"
    end

    options = Module.get_attribute(env.module, :live_stash_component)
    [wrap_update(env), wrap_handle_event(env, options)]
  end

  defp wrap_update(env) do
    if Module.defines?(env.module, {:update, 2}) do
      quote do
        defoverridable update: 2

        def update(assigns, socket) do
          LiveStash.Component.__update__(__MODULE__, assigns, socket, fn a, s -> super(a, s) end)
        end
      end
    else
      quote do
        def update(assigns, socket) do
          LiveStash.Component.__update__(
            __MODULE__,
            assigns,
            socket,
            &LiveStash.Component.__merge__/2
          )
        end
      end
    end
  end

  defp wrap_handle_event(env, %Options{auto_stash: true}) do
    if Module.defines?(env.module, {:handle_event, 3}) do
      quote do
        defoverridable handle_event: 3

        def handle_event(event, params, socket) do
          LiveStash.Component.__after_event__(super(event, params, socket))
        end
      end
    end
  end

  defp wrap_handle_event(_env, _options), do: nil

  @doc false
  def __update__(module, assigns, socket, update) do
    case Map.fetch(assigns, Sweep.ping_key()) do
      {:ok, ref} ->
        Sweep.ack(socket, key(module, assigns.id), ref)
        {:ok, socket}

      :error ->
        socket = prepare(socket, module, assigns)
        previous = Process.put(@in_update, true)

        try do
          case update.(assigns, socket) do
            {:ok, socket} -> {:ok, auto_stash(socket)}
            other -> other
          end
        after
          Process.put(@in_update, previous)
        end
    end
  end

  @doc false
  # What LiveView does for a component without update/2.
  def __merge__(assigns, socket) do
    {:ok, Enum.reduce(assigns, socket, fn {k, v}, acc -> Phoenix.Component.assign(acc, k, v) end)}
  end

  @doc false
  def __after_event__({:noreply, socket}), do: {:noreply, auto_stash(socket)}
  def __after_event__({:reply, reply, socket}), do: {:reply, reply, auto_stash(socket)}
  def __after_event__(other), do: other

  @doc false
  def socket?(%{private: %{@private => _}}), do: true
  def socket?(%{assigns: %{myself: %Phoenix.LiveComponent.CID{}}}), do: true
  def socket?(_), do: false

  @doc false
  def recover_state(socket) do
    case info!(socket, :recover_state) do
      %{status: nil} = info -> recover(socket, info)
      %{status: status} -> {status, socket}
    end
  end

  defp recover(socket, info) do
    with true <- Phoenix.LiveView.connected?(socket),
         %Registry{} = registry <- Registry.fetch(socket) do
      {status, assigns, registry} = Registry.claim(registry, info.key)
      status = pending(status, socket)
      registry = remember(registry, info.key, assigns)
      :ok = Registry.put(socket, registry)
      {status, socket |> assign_all(assigns) |> put_status(info, status)}
    else
      _ -> {:new, put_status(socket, info, :new)}
    end
  end

  defp pending(:pending, socket) do
    Logger.warning(
      "LiveStash: #{inspect(socket.view)} did not call LiveStash.recover_state/1 in mount/3, " <>
        "so its components cannot recover their stashed state"
    )

    :not_found
  end

  defp pending(status, _socket), do: status

  defp remember(registry, _key, nil), do: registry

  defp remember(registry, key, assigns),
    do: %{registry | fingerprints: Map.put(registry.fingerprints, key, Fingerprint.of(assigns))}

  defp assign_all(socket, nil), do: socket

  defp assign_all(socket, assigns),
    do: Enum.reduce(assigns, socket, fn {k, v}, acc -> Phoenix.Component.assign(acc, k, v) end)

  @doc false
  def stash(socket) do
    info = info!(socket, :stash)

    with true <- Phoenix.LiveView.connected?(socket),
         %Registry{} = registry <- Registry.fetch(socket) do
      # A stash before any recovery claims the key: this instance's state wins.
      registry = %{registry | claimed: MapSet.put(registry.claimed, info.key)}
      socket = if info.status, do: socket, else: put_status(socket, info, :new)
      assigns = Map.take(socket.assigns, info.options.stored_keys)
      fingerprint = Fingerprint.of(assigns)

      cond do
        registry.fingerprints[info.key] == fingerprint -> socket
        Registry.full?(registry, info.key) -> refuse(socket, registry, info.key)
        true -> write(socket, registry, info.key, assigns, fingerprint)
      end
    else
      _ -> socket
    end
  end

  # update/2 runs while the parent renders, and LiveView sends a component's pushed
  # events before the parent's: a token pushed from here would be overtaken by an older
  # one the parent pushed before the render. So the parent writes it right after.
  defp write(socket, registry, key, assigns, fingerprint) do
    registry = %{registry | entries: Map.put(registry.entries, key, assigns)}

    if Process.get(@in_update),
      do: defer(socket, registry, key, fingerprint),
      else: write_now(socket, registry, key, fingerprint)
  end

  defp defer(socket, registry, key, fingerprint) do
    unless registry.flush?, do: send(self(), Host.flush_message())
    fingerprints = Map.put(registry.fingerprints, key, fingerprint)
    :ok = Registry.put(socket, %{registry | fingerprints: fingerprints, flush?: true})
    socket
  end

  defp write_now(socket, registry, key, fingerprint) do
    case Writer.write(socket, registry) do
      {:ok, socket} ->
        fingerprints = Map.put(registry.fingerprints, key, fingerprint)
        :ok = Registry.put(socket, %{registry | fingerprints: fingerprints})
        socket

      {:error, reason} ->
        # Without the fingerprint the next stash tries again.
        Logger.warning("LiveStash could not stash #{describe(socket, key)}: #{inspect(reason)}")
        :ok = Registry.put(socket, registry)
        socket
    end
  end

  defp refuse(socket, registry, key) do
    unless MapSet.member?(registry.refused, key) do
      Logger.warning(
        "LiveStash keeps at most #{Registry.max_components()} components per LiveView; " <>
          "#{describe(socket, key)} is not stashed and will not survive a reconnect"
      )
    end

    :ok = Registry.put(socket, %{registry | refused: MapSet.put(registry.refused, key)})
    socket
  end

  @doc false
  def reset_stash(socket) do
    info = info!(socket, :reset_stash)

    with true <- Phoenix.LiveView.connected?(socket),
         %Registry{} = registry <- Registry.fetch(socket) do
      registry = Registry.forget(registry, info.key)
      :ok = Registry.put(socket, registry)
      Writer.write!(socket, registry, "reset #{describe(socket, info.key)}")
    else
      _ -> socket
    end
  end

  defp auto_stash(%{private: %{@private => %{options: %Options{auto_stash: true}}}} = socket),
    do: stash(socket)

  defp auto_stash(socket), do: socket

  # First update of an instance: a connected parent must be a LiveStash view.
  defp prepare(%{private: %{@private => _}} = socket, _module, _assigns), do: socket

  defp prepare(socket, module, assigns) do
    unless parent_ready?(socket) do
      raise ArgumentError,
            "#{inspect(module)} uses LiveStash.Component, but its LiveView #{inspect(socket.view)} " <>
              "does not use LiveStash. A component's state travels in its LiveView's stash: add " <>
              "`use LiveStash, stored_keys: [...]` to #{inspect(socket.view)}, after " <>
              "`use Phoenix.LiveView` (or `use MyAppWeb, :live_view`)"
    end

    info = %{
      module: module,
      key: key(module, Map.fetch!(assigns, :id)),
      options: module.__live_stash_component__(),
      status: nil
    }

    Phoenix.LiveView.put_private(socket, @private, info)
  end

  # The registry is opened by the parent's connected on_mount. The dead render has nothing
  # to recover or write, so it is not checked there.
  defp parent_ready?(socket),
    do: not Phoenix.LiveView.connected?(socket) or Registry.fetch(socket) != nil

  defp put_status(socket, info, status),
    do: Phoenix.LiveView.put_private(socket, @private, %{info | status: status})

  defp info!(socket, caller) do
    case socket.private do
      %{@private => info} ->
        info

      _ ->
        raise ArgumentError,
              "LiveStash.#{caller}/1 was called on a LiveComponent of #{inspect(socket.view)} " <>
                "that is not set up for LiveStash, or before its update/2. Add " <>
                "`use LiveStash.Component, stored_keys: [...]` to the component, after " <>
                "`use Phoenix.LiveComponent`, and call LiveStash from update/2 or later"
    end
  end

  defp key(module, id), do: {Atom.to_string(module), id}

  defp describe(socket, {module, id}),
    do:
      "component #{String.replace_prefix(module, "Elixir.", "")} with id #{inspect(id)} " <>
        "in #{inspect(socket.view)}"
end
