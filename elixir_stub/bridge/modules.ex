defmodule LiveStash.Bridge.Modules do
  @moduledoc false
  # The Node server's views and components exist here as real LiveView and LiveComponent
  # modules (on the Phoenix doubles), compiled on first use: their logic stays in Node, but
  # `use LiveStash` / `use LiveStash.Component` and every stash call are the library's own.
  # Each module is defined once per BEAM, so its options are fixed for the server's life.

  @adapters %{
    "browser" => LiveStash.Adapters.BrowserMemory,
    "ets" => LiveStash.Adapters.ETS,
    "redis" => LiveStash.Adapters.Redis,
    "mnesia" => LiveStash.Adapters.Mnesia
  }

  @doc "The view module named `name` with LiveStash options `opts` (JSON: snake_case keys)."
  def view!(name, opts) do
    define!(name, fn module ->
      quote do
        defmodule unquote(module) do
          use Phoenix.LiveView
          use LiveStash, unquote(live_stash_opts(opts))

          def mount(_params, _session, socket) do
            {status, socket} = LiveStash.recover_state(socket)
            {:ok, Phoenix.Component.assign(socket, :__bridge_status__, status)}
          end

          def components(assigns), do: Map.get(assigns, :__bridge_components__, [])
        end
      end
    end)
  end

  @doc "The LiveComponent module named `name` stashing `stored_keys`."
  def component!(name, stored_keys, auto_stash?) do
    keys = Enum.map(stored_keys, &String.to_atom/1)

    define!(name, fn module ->
      quote do
        defmodule unquote(module) do
          use Phoenix.LiveComponent
          use LiveStash.Component, stored_keys: unquote(keys), auto_stash: unquote(auto_stash?)

          def update(assigns, socket) do
            {initial, assigns} = Map.pop(assigns, :__bridge_initial__, %{})
            socket = LiveStash.Bridge.Modules.assign_missing(socket, initial)
            {status, socket} = socket |> assign(assigns) |> LiveStash.recover_state()
            {:ok, LiveStash.Bridge.Modules.put_status(socket, status)}
          end
        end
      end
    end)
  end

  @doc false
  def assign_missing(socket, initial) do
    Enum.reduce(initial, socket, fn {key, value}, acc ->
      if Map.has_key?(acc.assigns, key), do: acc, else: Phoenix.Component.assign(acc, key, value)
    end)
  end

  @doc false
  # The first update's status is the one the Node side shows; later updates keep it.
  def put_status(socket, status) do
    if Map.has_key?(socket.assigns, :__bridge_status__),
      do: socket,
      else: Phoenix.Component.assign(socket, :__bridge_status__, status)
  end

  def atom(name) when is_binary(name), do: Module.concat([name])

  defp define!(name, ast_fun) do
    module = atom(name)

    # Only the connection process defines modules, so two mounts never race to compile one.
    unless Code.ensure_loaded?(module), do: Code.compile_quoted(ast_fun.(module))

    module
  end

  defp live_stash_opts(opts) do
    for {key, value} <- opts, do: option(String.to_atom(key), value)
  end

  defp option(:stored_keys, keys), do: {:stored_keys, Enum.map(keys, &String.to_atom/1)}
  defp option(:adapter, name), do: {:adapter, Map.fetch!(@adapters, name)}
  defp option(:security_mode, mode), do: {:security_mode, String.to_existing_atom(mode)}
  defp option(key, value), do: {key, value}
end
