defmodule LiveStash.Component.Instance do
  @moduledoc false
  # What one component instance knows about itself, kept in its own socket's private (a
  # component socket does not share the parent's): its module, its key in the parent's
  # stash (`{module name, id}`), its options, and its recovery status once it has one.

  alias LiveStash.Component.{Options, Registry}

  @private :live_stash_component
  @updating {__MODULE__, :updating}

  @enforce_keys [:module, :key, :options]
  defstruct [:module, :key, :options, status: nil]

  @type t :: %__MODULE__{
          module: module(),
          key: Registry.key(),
          options: Options.t(),
          status: LiveStash.status() | nil
        }

  @doc "True for a LiveComponent's socket (set up or not), false for a LiveView's."
  @spec socket?(Phoenix.LiveView.Socket.t()) :: boolean()
  def socket?(%{private: %{@private => _}}), do: true
  def socket?(%{assigns: %{myself: %Phoenix.LiveComponent.CID{}}}), do: true
  def socket?(_), do: false

  @doc """
  Sets a new instance up at its first update; a connected parent must be a LiveStash view.
  """
  @spec prepare(Phoenix.LiveView.Socket.t(), module(), map()) :: Phoenix.LiveView.Socket.t()
  def prepare(socket, module, assigns) do
    unless parent_ready?(socket) do
      raise ArgumentError,
            "#{inspect(module)} uses LiveStash.Component, but its LiveView #{inspect(socket.view)} " <>
              "does not use LiveStash. A component's state travels in its LiveView's stash: add " <>
              "`use LiveStash, stored_keys: [...]` to #{inspect(socket.view)}, after " <>
              "`use Phoenix.LiveView` (or `use MyAppWeb, :live_view`)"
    end

    instance = %__MODULE__{
      module: module,
      key: key(module, Map.fetch!(assigns, :id)),
      options: module.__live_stash_component__()
    }

    Phoenix.LiveView.put_private(socket, @private, instance)
  end

  # The registry is opened by the parent's connected on_mount. The dead render has nothing
  # to recover or write, so it is not checked there.
  defp parent_ready?(socket),
    do: not Phoenix.LiveView.connected?(socket) or Registry.fetch(socket) != nil

  @doc "The instance of a set-up component socket, or nil."
  @spec get(Phoenix.LiveView.Socket.t()) :: t() | nil
  def get(socket), do: socket.private[@private]

  @doc "The instance, explaining how to fix a component that was never set up."
  @spec fetch!(Phoenix.LiveView.Socket.t(), atom()) :: t()
  def fetch!(socket, caller) do
    case socket.private do
      %{@private => instance} ->
        instance

      _ ->
        raise ArgumentError,
              "LiveStash.#{caller}/1 was called on a LiveComponent of #{inspect(socket.view)} " <>
                "that is not set up for LiveStash, or before its update/2. Add " <>
                "`use LiveStash.Component, stored_keys: [...]` to the component, after " <>
                "`use Phoenix.LiveComponent`, and call LiveStash from update/2 or later"
    end
  end

  @doc "What telemetry events report for `socket` (a LiveView's or a component's)."
  @spec telemetry(Phoenix.LiveView.Socket.t(), module() | nil) :: map()
  def telemetry(socket, adapter) do
    component =
      with %__MODULE__{module: module, key: {_name, id}} <- get(socket), do: {module, id}

    LiveStash.Telemetry.metadata(socket.view, adapter, component)
  end

  @doc "Runs a component's `update/2` (`fun`); `updating?/0` is true meanwhile."
  @spec updating((() -> result)) :: result when result: term()
  def updating(fun) do
    previous = Process.put(@updating, true)

    try do
      fun.()
    after
      Process.put(@updating, previous)
    end
  end

  @doc "True while a component's update/2 runs (during the parent's render, or a send_update)."
  @spec updating?() :: boolean()
  def updating?, do: Process.get(@updating) == true

  @doc "Records the status `recover_state/1` returns for this instance from now on."
  @spec put_status(Phoenix.LiveView.Socket.t(), t(), LiveStash.status()) ::
          Phoenix.LiveView.Socket.t()
  def put_status(socket, %__MODULE__{} = instance, status),
    do: Phoenix.LiveView.put_private(socket, @private, %{instance | status: status})

  @doc "The key of a component in its parent's stash."
  @spec key(module(), term()) :: Registry.key()
  def key(module, id), do: {Atom.to_string(module), id}

  @doc "Names a component in log messages."
  @spec describe(Phoenix.LiveView.Socket.t(), Registry.key()) :: binary()
  def describe(socket, {module, id}),
    do:
      "component #{String.replace_prefix(module, "Elixir.", "")} with id #{inspect(id)} " <>
        "in #{inspect(socket.view)}"
end
