defmodule Phoenix.LiveComponent do
  @moduledoc """
  TEST DOUBLE of `Phoenix.LiveComponent` (phoenix_live_view 1.x): `use` imports the
  LiveView and assign helpers like the real module; the component's lifecycle itself
  (mount/1, update/2, handle_event/3 in the parent's process, on a socket of its own) is
  played by `LiveStash.Test.ViewServer`, following `Phoenix.LiveView.Diff`.
  """

  defmacro __using__(_opts) do
    quote do
      import Phoenix.LiveView
      import Phoenix.Component, only: [assign: 2, assign: 3]
      @behaviour Phoenix.LiveComponent
    end
  end

  @callback mount(Phoenix.LiveView.Socket.t()) :: {:ok, Phoenix.LiveView.Socket.t()}
  @callback update(map(), Phoenix.LiveView.Socket.t()) :: {:ok, Phoenix.LiveView.Socket.t()}
  @callback handle_event(binary(), map(), Phoenix.LiveView.Socket.t()) ::
              {:noreply, Phoenix.LiveView.Socket.t()}
  @optional_callbacks mount: 1, update: 2, handle_event: 3
end

defmodule Phoenix.LiveComponent.CID do
  @moduledoc "TEST DOUBLE of the struct LiveView puts in a component's `@myself`."
  defstruct [:cid]
end
