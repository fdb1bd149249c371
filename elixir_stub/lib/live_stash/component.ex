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
  `mount/3`): adapter, ttl and version come from it. Limits: the LiveComponents guide (`guides/components.md`).

  ## Which instance gets a stashed state

  A component instance that starts fresh, or was removed, never receives an older
  instance's state, whatever the order of remove, add, stash and reconnect:

    * **C1.** After a recovering mount, a stashed component state goes only to the instance
      of its `{module, id}` whose first `update/2` runs during the parent's first connected
      render (LiveView runs the `update/2` of every component a render shows before the
      parent's `after_render` hooks). When that render ends, every recovered state no such
      instance claimed (with `recover_state/1`, or by stashing first) is dropped, and if
      any was, the parent's record is rewritten at once, so no later reconnect brings it
      back. A component first rendered later (after `assign_async`, say) starts fresh.
    * **C2.** An instance whose first `update/2` runs after that render starts fresh: what
      was known for its key is forgotten, and if the last record written (or recovered)
      holds a state for the key, the record is rewritten without it right after the
      render, not at the parent's next stash.
    * **C3.** A component removed from the page is found by the sweep after each parent
      stash and dropped from the record.

  A fresh instance's status is `:new` when an earlier instance of its key in this
  LiveView process recovered or stashed, and otherwise the parent's (`:not_found` after
  a recovering mount).
  """

  # This module holds what `LiveStash.stash/1`, `recover_state/1` and `reset_stash/1` do on
  # a component socket. `use` wraps the component's callbacks (`Component.Callbacks`);
  # each instance keeps its own key and status (`Component.Instance`), and the parent
  # keeps every component's stashed state (`Component.Registry`).

  alias LiveStash.AutoStash
  alias LiveStash.Component.{Host, Instance, Registry, Writer}

  require Logger

  @doc """
  Makes a LiveComponent stashable: wraps its callbacks so `LiveStash.stash/1`,
  `recover_state/1` and `reset_stash/1` work on its socket.

      use LiveStash.Component, stored_keys: [:editing, :draft], auto_stash: true

  Options are checked when the component compiles. The stash itself (adapter, ttl,
  version, secret and the other options of `use LiveStash`) belongs to the parent
  LiveView, so those options are refused here with a pointer to where they go.

  ## Options

    * `:stored_keys` - required, no default. The component's assigns to keep: a
      non-empty list of atoms. Example: `stored_keys: [:editing, :draft]`
    * `:auto_stash` - default `false`. When `true`, the component stashes by itself after
      its `update/2` and `handle_event/3` callbacks, with its parent's next coalesced
      stash (the parent's `:auto_stash_interval`; with BrowserMemory at once), so it needs
      no `LiveStash.stash/1` calls.
      Example: `auto_stash: true`
  """
  defmacro __using__(opts) do
    quote bind_quoted: [opts: opts] do
      @live_stash_component LiveStash.Component.Options.validate!(opts)
      @before_compile LiveStash.Component.Callbacks

      @doc false
      def __live_stash_component__, do: @live_stash_component
    end
  end

  @doc false
  defdelegate socket?(socket), to: Instance

  @doc false
  # A new instance's first update/2 (from `LiveStash.Component.Callbacks`). Past the
  # parent's first connected render it starts fresh (rule C2); it always runs inside a
  # render, so a rewrite goes through the parent (see `write/5`).
  def started(socket) do
    with true <- Phoenix.LiveView.connected?(socket),
         %Registry{rendered?: true} = registry <- Registry.fetch(socket) do
      case Registry.restart(registry, Instance.get(socket).key) do
        {true, registry} -> flush_later(socket, registry)
        {false, registry} -> :ok = Registry.put(socket, registry)
      end
    end

    socket
  end

  @doc false
  def recover_state(socket) do
    case Instance.fetch!(socket, :recover_state) do
      %Instance{status: nil} = instance -> recover(socket, instance)
      %Instance{status: status} -> {status, socket}
    end
  end

  defp recover(socket, instance) do
    with true <- Phoenix.LiveView.connected?(socket),
         %Registry{} = registry <- Registry.fetch(socket) do
      {status, assigns, registry} = Registry.claim(registry, instance.key)
      status = pending(status, socket)
      registry = remember(registry, instance.key, assigns)
      :ok = Registry.put(socket, registry)
      {status, socket |> assign_all(assigns) |> Instance.put_status(instance, status)}
    else
      _ -> {:new, Instance.put_status(socket, instance, :new)}
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
    do: %{registry | stashed: Map.put(registry.stashed, key, assigns)}

  defp assign_all(socket, nil), do: socket

  defp assign_all(socket, assigns), do: Phoenix.Component.assign(socket, assigns)

  @doc false
  def stash(socket), do: stash(socket, false)

  @doc false
  # `auto_stash`: written with the parent's next coalesced stash (see LiveStash.AutoStash).
  def auto_stash(socket), do: stash(socket, true)

  defp stash(socket, auto?) do
    instance = Instance.fetch!(socket, :stash)

    with true <- Phoenix.LiveView.connected?(socket),
         %Registry{} = registry <- Registry.fetch(socket) do
      # A stash before any recovery claims the key: this instance's state wins.
      registry = %{registry | claimed: MapSet.put(registry.claimed, instance.key)}
      socket = if instance.status, do: socket, else: Instance.put_status(socket, instance, :new)
      assigns = Map.take(socket.assigns, instance.options.stored_keys)

      # As for a view (see `LiveStash.stash/1`): strict equality with what was last
      # written, constant time for values not rebuilt since.
      cond do
        Map.get(registry.stashed, instance.key) === assigns -> socket
        Registry.full?(registry, instance.key) -> refuse(socket, registry, instance.key)
        true -> write(socket, registry, instance.key, assigns, auto?)
      end
    else
      _ -> socket
    end
  end

  # update/2 runs while the parent renders, and LiveView sends a component's pushed
  # events before the parent's: a token pushed from here would be overtaken by an older
  # one the parent pushed before the render. So the parent writes it right after.
  defp write(socket, registry, key, assigns, auto?) do
    registry = %{registry | entries: Map.put(registry.entries, key, assigns)}
    interval = AutoStash.interval(registry.state.options)

    cond do
      auto? and interval > 0 -> coalesce(socket, registry, key, assigns, interval)
      Instance.updating?() -> defer(socket, registry, key, assigns)
      true -> write_now(socket, registry, key, assigns)
    end
  end

  defp coalesce(socket, registry, key, assigns, interval) do
    :ok = Registry.put(socket, remember(registry, key, assigns))
    :ok = AutoStash.components_changed(socket, interval)
    socket
  end

  defp defer(socket, registry, key, assigns),
    do: flush_later(socket, remember(registry, key, assigns))

  defp flush_later(socket, registry) do
    unless registry.flush?, do: send(self(), Host.flush_message())
    :ok = Registry.put(socket, %{registry | flush?: true})
    socket
  end

  defp write_now(socket, registry, key, assigns) do
    case Writer.write(socket, registry) do
      {:ok, socket, registry} ->
        :ok = Registry.put(socket, remember(registry, key, assigns))
        socket

      {:error, reason} ->
        # Not remembered as stashed, so the next stash tries again.
        Logger.warning(
          "LiveStash could not stash #{Instance.describe(socket, key)}: #{inspect(reason)}"
        )

        :ok = Registry.put(socket, registry)
        socket
    end
  end

  defp refuse(socket, registry, key) do
    unless MapSet.member?(registry.refused, key) do
      Logger.warning(
        "LiveStash keeps at most #{Registry.max_components()} components per LiveView; " <>
          "#{Instance.describe(socket, key)} is not stashed and will not survive a reconnect"
      )
    end

    :ok = Registry.put(socket, %{registry | refused: MapSet.put(registry.refused, key)})
    socket
  end

  @doc false
  def reset_stash(socket) do
    instance = Instance.fetch!(socket, :reset_stash)

    with true <- Phoenix.LiveView.connected?(socket),
         %Registry{} = registry <- Registry.fetch(socket) do
      registry = Registry.forget(registry, instance.key)
      :ok = Registry.put(socket, registry)
      Writer.write!(socket, registry, "reset #{Instance.describe(socket, instance.key)}")
    else
      _ -> socket
    end
  end
end
