defmodule Phoenix.Component do
  @moduledoc """
  TEST DOUBLE of `Phoenix.Component.assign/3` on a socket: an unchanged value leaves
  the socket (and change tracking) untouched, a new one is recorded in `__changed__`,
  and `:flash` is reserved. `assign/2` takes a map or keyword list and assigns each pair.
  `changed?/2` reads `__changed__`, as `Phoenix.LiveView.Utils.changed?/2` does.
  """

  alias Phoenix.LiveView.Socket

  def assign(%Socket{} = socket, keyword_or_map)
      when is_map(keyword_or_map) or is_list(keyword_or_map) do
    Enum.reduce(keyword_or_map, socket, fn {key, value}, acc -> assign(acc, key, value) end)
  end

  def assign(%Socket{}, :flash, _value) do
    raise ArgumentError, ":flash is a reserved assign by LiveView and it cannot be set directly"
  end

  def assign(%Socket{assigns: assigns} = socket, key, value) when is_atom(key) do
    case assigns do
      %{^key => ^value} ->
        socket

      %{} ->
        changed = Map.put_new(assigns.__changed__, key, true)
        %{socket | assigns: Map.put(%{assigns | __changed__: changed}, key, value)}
    end
  end

  @doc "Like the real one: whether `key` changed since the last render (`nil` = all did)."
  def changed?(%Socket{assigns: assigns}, key), do: changed?(assigns, key)
  def changed?(%{__changed__: nil}, _key), do: true
  def changed?(%{__changed__: changed}, key), do: Map.has_key?(changed, key)
end
