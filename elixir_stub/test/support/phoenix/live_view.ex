defmodule Phoenix.LiveView do
  @moduledoc """
  TEST DOUBLE of the parts of `Phoenix.LiveView` that LiveStash calls, following the
  behaviour documented by phoenix_live_view 1.x:

    * `use`/`on_mount/1` collect `{module, arg}` hooks into `__live__/0`
    * `connected?/1` is true when the socket has a transport pid
    * `get_connect_params/1` returns nil when disconnected and raises once the
      params were dropped after mount
    * `put_private/3` refuses LiveView's reserved keys
    * `push_event/3` queues `[event, payload]` in `private.live_temp` (payload a map)
    * `send_update/3` needs an `:id` and messages the LiveView process
    * `attach_hook/4` validates the stage, refuses a duplicate id and needs a router for
      `:handle_params`
  """

  alias Phoenix.LiveView.Socket

  @stages [:handle_async, :handle_event, :handle_info, :handle_params, :after_render]
  @reserved ~w(connect_params connect_info assign_new live_async live_layout live_temp lifecycle render_with root_view)a

  defmacro __using__(_opts) do
    quote do
      import Phoenix.LiveView
      import Phoenix.Component, only: [assign: 2, assign: 3]
      Module.register_attribute(__MODULE__, :phoenix_live_mount, accumulate: true)
      @before_compile Phoenix.LiveView
    end
  end

  defmacro __before_compile__(env) do
    hooks = env.module |> Module.get_attribute(:phoenix_live_mount) |> Enum.reverse()

    quote do
      @doc false
      def __live__, do: %{lifecycle: Phoenix.LiveView.__lifecycle__(unquote(Macro.escape(hooks)))}
    end
  end

  defmacro on_mount(mod_or_mod_arg) do
    quote do
      Module.put_attribute(
        __MODULE__,
        :phoenix_live_mount,
        Phoenix.LiveView.__validate_on_mount__!(__MODULE__, unquote(mod_or_mod_arg))
      )
    end
  end

  @doc false
  def __validate_on_mount__!(_view, {module, arg}) when is_atom(module), do: {module, arg}
  def __validate_on_mount__!(_view, module) when is_atom(module), do: {module, :default}

  def __validate_on_mount__!(view, other) do
    raise ArgumentError,
          "invalid on_mount hook declared in #{inspect(view)}. Expected Module or {Module, arg}, got: #{inspect(other)}"
  end

  @doc false
  def __lifecycle__(mount_hooks) do
    mount =
      for {module, _arg} = id <- mount_hooks,
          do: %{id: id, stage: :mount, function: Function.capture(module, :on_mount, 4)}

    Map.new([{:mount, mount} | Enum.map(@stages, &{&1, []})])
  end

  def connected?(%Socket{transport_pid: pid}), do: pid != nil

  def get_connect_params(%Socket{private: private} = socket) do
    if params = private[:connect_params] do
      if connected?(socket), do: params, else: nil
    else
      raise RuntimeError,
            "attempted to read connect_params outside of #{inspect(socket.view)}.mount/3"
    end
  end

  def put_private(%Socket{} = socket, key, value) when key not in @reserved do
    %{socket | private: Map.put(socket.private, key, value)}
  end

  def put_private(%Socket{}, key, _value) do
    raise ArgumentError, "cannot set reserved private key #{inspect(key)}"
  end

  def push_event(%Socket{} = socket, event, %{} = payload) do
    update_in(socket.private.live_temp[:push_events], &[[event, payload] | &1 || []])
  end

  @doc """
  Like the real `send_update/3`: the assigns must hold an `:id`, and the message goes to
  `pid` (the LiveView process), which updates the component if it still has it.
  """
  def send_update(pid \\ self(), module, assigns) when is_atom(module) and is_pid(pid) do
    assigns = Enum.into(assigns, %{})

    id =
      assigns[:id] ||
        raise ArgumentError, "missing required :id in send_update. Got: #{inspect(assigns)}"

    send(pid, {:phoenix, :send_update, {{module, id}, assigns}})
    :ok
  end

  def attach_hook(%Socket{router: nil}, id, :handle_params, _fun) do
    raise "cannot attach hook with id #{inspect(id)} on :handle_params because" <>
            " the view was not mounted at the router with the live/3 macro"
  end

  def attach_hook(%Socket{} = socket, id, stage, fun)
      when stage in @stages and is_function(fun) do
    lifecycle = Map.fetch!(socket.private, :lifecycle)
    hooks = Map.fetch!(lifecycle, stage)

    if Enum.any?(hooks, &(&1.id == id)) do
      raise ArgumentError, "existing hook #{inspect(id)} already attached on #{inspect(stage)}."
    end

    hook = %{id: id, stage: stage, function: fun}
    lifecycle = Map.put(lifecycle, stage, hooks ++ [hook])
    %{socket | private: Map.put(socket.private, :lifecycle, lifecycle)}
  end

  def attach_hook(%Socket{}, _id, stage, _fun) do
    raise ArgumentError,
          "invalid lifecycle event provided to attach_hook. Expected one of: " <>
            "#{inspect(@stages)}. Got: #{inspect(stage)}"
  end
end
