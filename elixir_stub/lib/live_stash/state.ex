defmodule LiveStash.State do
  @moduledoc """
  What LiveStash keeps in `socket.private` for one LiveView process.

  `last_assigns` holds the stored assigns as last written (or recovered), `nil` when
  none were: `LiveStash.stash/1` compares against it to skip an unchanged stash, and the
  keep-alive re-issues a browser token from it without a new write. It shares memory
  with the socket's assigns, so it costs nothing extra.

  The token salt is the `:secret` option itself (`options.secret`), fixed per
  configuration; `session` is the session binding (see `LiveStash.Secret`) and `view_id` the LiveView's `socket.id`, which every record
  written here carries so no other view instance recovers it. `legacy_session` is the
  binding 0.1.0 wrote for the same session (`LiveStash.Secret.legacy_binding/2`): a
  recovery still accepts it, and writes the stash back under `session` at once.
  """

  @enforce_keys [:options]
  defstruct [
    :options,
    :session,
    :legacy_session,
    :view_id,
    :incoming,
    :stash_id,
    :last_assigns,
    :keep_alive_ref,
    connected?: false,
    fresh?: true
  ]

  @type t :: %__MODULE__{}

  @private_key :live_stash

  @doc false
  def private_key, do: @private_key

  @doc "Fetches the state, explaining how to fix a LiveView that never ran `use LiveStash`."
  @spec fetch!(Phoenix.LiveView.Socket.t(), atom()) :: t()
  def fetch!(socket, caller) do
    case socket.private do
      %{@private_key => %__MODULE__{} = state} ->
        state

      _ ->
        raise ArgumentError,
              "LiveStash.#{caller}/1 was called on #{inspect(socket.view)}, which is not set up " <>
                "for LiveStash. Add `use LiveStash, stored_keys: [...]` to the module, after " <>
                "`use Phoenix.LiveView` (or `use MyAppWeb, :live_view`)."
    end
  end

  @doc "Stores the state in the socket (and mirrors it for the view's components)."
  @spec put(Phoenix.LiveView.Socket.t(), t()) :: Phoenix.LiveView.Socket.t()
  def put(socket, %__MODULE__{} = state) do
    :ok = LiveStash.Component.Host.sync(socket, state)
    Phoenix.LiveView.put_private(socket, @private_key, state)
  end
end
