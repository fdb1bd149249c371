defmodule LiveStash.Test.View do
  @moduledoc """
  Builds a tiny counter LiveView for the suite: `use LiveStash.Test.View, <LiveStash opts>`.

  Its mount recovers and records the status in `@recover_status`; the helpers below are
  plain functions so they can be applied on another node by name.
  """

  defmacro __using__(live_stash_opts) do
    quote do
      use Phoenix.LiveView
      use LiveStash, unquote(live_stash_opts)

      def mount(_params, _session, socket),
        do: {:ok, LiveStash.Test.View.recover(socket, count: 0, other: nil)}
    end
  end

  alias Phoenix.Component

  @doc """
  What every test view's `mount/3` does: recovers, records the status in
  `@recover_status`, and assigns `defaults` unless the stash was recovered.
  """
  def recover(socket, defaults) do
    {status, socket} = LiveStash.recover_state(socket)
    socket = Component.assign(socket, :recover_status, status)

    if status == :recovered,
      do: socket,
      else: Component.assign(socket, defaults)
  end

  @doc "Sets :count and stashes (the way a handle_event would)."
  def put_count(socket, count), do: socket |> Component.assign(:count, count) |> LiveStash.stash()

  @doc "Sets :count without stashing (for auto_stash views)."
  def set_count(socket, count), do: Component.assign(socket, :count, count)
end
