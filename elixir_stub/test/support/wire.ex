defmodule LiveStash.Test.Wire do
  @moduledoc """
  The bytes a pushed event costs on the websocket: the frame the LiveView channel sends
  for a server push, `["4",null,"lv:<id>","diff",{"e":[[name,payload]]}]`, as JSON.
  Payloads here are maps of strings, numbers, lists and maps of those, which is all
  LiveStash pushes (a keyed stash's `keys` is a map, its `names` a list).
  """

  @doc "Size in bytes of the frame that carries `events` to view `id`."
  def frame_bytes(id, events) do
    pushed =
      Enum.map_join(events, ",", fn [name, payload] -> "[#{string(name)},#{value(payload)}]" end)

    byte_size(~s(["4",null,#{string("lv:" <> id)},"diff",{"e":[#{pushed}]}]))
  end

  defp object(map),
    do:
      "{" <>
        Enum.map_join(map, ",", fn {k, v} -> string(to_string(k)) <> ":" <> value(v) end) <> "}"

  defp value(map) when is_map(map), do: object(map)
  defp value(list) when is_list(list), do: "[" <> Enum.map_join(list, ",", &value/1) <> "]"
  defp value(other), do: string(other)

  # Tokens, ids and names are URL-safe base64 or plain ASCII: nothing to escape.
  defp string(value) when is_binary(value), do: ~s("#{value}")
  defp string(value) when is_number(value), do: to_string(value)
end
