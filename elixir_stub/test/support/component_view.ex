defmodule LiveStash.Test.ComponentView do
  @moduledoc """
  A todo-list LiveView for the component suite: `use LiveStash.Test.ComponentView,
  <LiveStash opts>`. Its `:items` (ids) each render a `LiveStash.Test.Item` (or the module
  in `:item_module`; `:initial_items` for a fresh mount); mount records the recovery status in
  `@recover_status`. With `items_from_session: true` every mount takes the items from the
  session's `"items"` instead, as a page listing database rows does: the stash does not
  decide which components the first render shows.
  """

  defmacro __using__(live_stash_opts) do
    {item, live_stash_opts} = Keyword.pop(live_stash_opts, :item_module, LiveStash.Test.Item)
    {initial, live_stash_opts} = Keyword.pop(live_stash_opts, :initial_items, ["a", "b"])
    {from_session?, live_stash_opts} = Keyword.pop(live_stash_opts, :items_from_session, false)

    quote do
      use Phoenix.LiveView
      use LiveStash, unquote(live_stash_opts)

      def mount(_params, session, socket) do
        socket = LiveStash.Test.View.recover(socket, items: unquote(initial), title: "todo")
        {:ok, LiveStash.Test.ComponentView.listed(socket, session, unquote(from_session?))}
      end

      def components(assigns),
        do: for(id <- assigns.items, do: {unquote(item), id, %{title: assigns[:title]}})
    end
  end

  alias Phoenix.Component

  @doc false
  def listed(socket, session, true = _from_session?),
    do: Component.assign(socket, :items, Map.fetch!(session, "items"))

  def listed(socket, _session, false), do: socket

  @doc "Sets the items and stashes, as a parent's handle_event would."
  def put_items(socket, items), do: socket |> Component.assign(:items, items) |> LiveStash.stash()

  @doc "Sets the items without stashing."
  def set_items(socket, items), do: Component.assign(socket, :items, items)

  @doc "Changes an assign every item receives, without stashing."
  def set_title(socket, title), do: Component.assign(socket, :title, title)
end

defmodule LiveStash.Test.Item do
  @moduledoc "A todo item with an editing state and a draft; stashes on every edit."
  use Phoenix.LiveComponent
  use LiveStash.Component, stored_keys: [:editing, :draft]

  def mount(socket), do: {:ok, socket |> assign(:editing, false) |> assign(:draft, "")}

  def update(assigns, socket) do
    socket = assign(socket, assigns)
    {status, socket} = LiveStash.recover_state(socket)
    {:ok, assign(socket, :recover_status, status)}
  end

  def handle_event("type", %{"draft" => draft}, socket) do
    {:noreply, socket |> assign(:editing, true) |> assign(:draft, draft) |> LiveStash.stash()}
  end

  # Changes the draft without stashing it.
  def handle_event("scribble", %{"draft" => draft}, socket),
    do: {:noreply, assign(socket, :draft, draft)}

  def handle_event("reset", _params, socket), do: {:noreply, LiveStash.reset_stash(socket)}
end

defmodule LiveStash.Test.OtherItem do
  @moduledoc "Another component module, to show state is keyed by module as well as id."
  use Phoenix.LiveComponent
  use LiveStash.Component, stored_keys: [:draft]

  def mount(socket), do: {:ok, assign(socket, :draft, "")}

  def update(assigns, socket) do
    socket = assign(socket, assigns)
    {_status, socket} = LiveStash.recover_state(socket)
    {:ok, socket}
  end

  def handle_event("type", %{"draft" => draft}, socket),
    do: {:noreply, socket |> assign(:draft, draft) |> LiveStash.stash()}
end

defmodule LiveStash.Test.AutoItem do
  @moduledoc "auto_stash: stashes after update/2 and handle_event/3 on its own; keeps the last title."
  use Phoenix.LiveComponent
  use LiveStash.Component, stored_keys: [:draft, :seen_title], auto_stash: true

  def mount(socket), do: {:ok, socket |> assign(:draft, "") |> assign(:seen_title, nil)}

  def update(assigns, socket) do
    socket = assign(socket, assigns)
    socket = if assigns.title, do: assign(socket, :seen_title, assigns.title), else: socket
    {status, socket} = LiveStash.recover_state(socket)
    {:ok, assign(socket, :recover_status, status)}
  end

  def handle_event("type", %{"draft" => draft}, socket),
    do: {:noreply, assign(socket, :draft, draft)}
end

defmodule LiveStash.Test.Unprepared do
  @moduledoc "A component that calls LiveStash without `use LiveStash.Component`."
  use Phoenix.LiveComponent

  def update(assigns, socket) do
    socket = assign(socket, assigns)
    {_status, socket} = LiveStash.recover_state(socket)
    {:ok, socket}
  end
end

defmodule LiveStash.Test.NoStashView do
  @moduledoc "A LiveView that renders a LiveStash component but does not `use LiveStash`."
  use Phoenix.LiveView

  def mount(_params, _session, socket), do: {:ok, assign(socket, :items, ["a"])}
  def components(assigns), do: for(id <- assigns.items, do: {LiveStash.Test.Item, id, %{}})
end

defmodule LiveStash.Test.BrowserTodo do
  @moduledoc "The component suites' todo page, stashing in the browser (encrypted)."
  use LiveStash.Test.ComponentView,
    adapter: LiveStash.Adapters.BrowserMemory,
    security_mode: :encrypt,
    stored_keys: [:items]
end

defmodule LiveStash.Test.ServerTodo do
  @moduledoc "The component suites' todo page, stashing on the server (ETS)."
  use LiveStash.Test.ComponentView, stored_keys: [:items]
end
