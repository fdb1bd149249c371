defmodule LiveStash.Test.ComponentFlow do
  @moduledoc """
  The steps the component suites walk through: type into an item, read an item, mount a
  page fresh, and drop the socket and mount again with what the browser holds.
  """

  import LiveStash.Test.Flow, only: [start!: 3]

  alias LiveStash.Test.{Client, Item, ViewServer}

  @doc "The user types `draft` into item `id` (which stashes it)."
  def type(pid, id, draft, module \\ Item),
    do: :ok = ViewServer.component_event(pid, module, id, "type", %{"draft" => draft})

  @doc "The assigns of item `id`, or nil when the page does not have it."
  def item(pid, id, module \\ Item), do: ViewServer.component(pid, module, id)

  @doc "A first visit. Options: `:id` (\"phx-todo\"), `:session`, `:official` (the official client)."
  def fresh(view, opts \\ []),
    do: start!(view, Client.fresh_params(%{}, Keyword.take(opts, [:official])), mount_opts(opts))

  @doc """
  The old process is gone (a crash, a kill -9 or a restart look the same from here) and
  the LiveView mounts again with the browser's join params. What the browser held from the
  last join stays held when the server sent nothing new (a recovery answered with a
  lease), so a second reconnect sends it again. Options as for `fresh/2`.
  """
  def reconnect(pid, view, opts \\ []) do
    params = Client.join_params(ViewServer.events(pid), held: ViewServer.params(pid))
    ViewServer.stop(pid)
    start!(view, params, mount_opts(opts))
  end

  defp mount_opts(opts),
    do: [id: Keyword.get(opts, :id, "phx-todo")] ++ Keyword.take(opts, [:session])
end
