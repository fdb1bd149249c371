defmodule LiveStash.Component.Callbacks do
  @moduledoc false
  # Wraps a `use LiveStash.Component` module's `update/2` (and, with `auto_stash`, its
  # `handle_event/3`) so the component learns its module and id, answers the sweep's
  # liveness pings, and auto-stashes; the user's code runs unchanged.

  alias LiveStash.Component.{Instance, Options, Sweep}

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
          LiveStash.Component.Callbacks.update(__MODULE__, assigns, socket, fn a, s ->
            super(a, s)
          end)
        end
      end
    else
      quote do
        def update(assigns, socket) do
          LiveStash.Component.Callbacks.update(
            __MODULE__,
            assigns,
            socket,
            &LiveStash.Component.Callbacks.merge/2
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
          LiveStash.Component.Callbacks.after_event(super(event, params, socket))
        end
      end
    end
  end

  defp wrap_handle_event(_env, _options), do: nil

  @doc false
  def update(module, assigns, socket, update) do
    case Map.fetch(assigns, Sweep.ping_key()) do
      {:ok, ref} ->
        Sweep.ack(socket, Instance.key(module, assigns.id), ref)
        {:ok, socket}

      :error ->
        socket =
          if Instance.get(socket),
            do: socket,
            else: socket |> Instance.prepare(module, assigns) |> LiveStash.Component.started()

        Instance.updating(fn ->
          case update.(assigns, socket) do
            {:ok, socket} -> {:ok, auto_stash(socket)}
            other -> other
          end
        end)
    end
  end

  @doc false
  # What LiveView does for a component without update/2.
  def merge(assigns, socket) do
    {:ok, Phoenix.Component.assign(socket, assigns)}
  end

  @doc false
  def after_event({:noreply, socket}), do: {:noreply, auto_stash(socket)}
  def after_event({:reply, reply, socket}), do: {:reply, reply, auto_stash(socket)}
  def after_event(other), do: other

  defp auto_stash(socket) do
    case Instance.get(socket) do
      %Instance{options: %Options{auto_stash: true}} -> LiveStash.Component.auto_stash(socket)
      _ -> socket
    end
  end
end
