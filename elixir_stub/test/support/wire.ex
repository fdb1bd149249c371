defmodule LiveStash.Test.Wire do
  @moduledoc """
  The bytes a pushed event costs on the websocket: the frame the LiveView channel sends
  for a server push, `["4",null,"lv:<id>","diff",{"e":[[name,payload]]}]`, as JSON.
  Payloads here are flat maps of strings and numbers, which is all LiveStash pushes.
  """

  @doc "Size in bytes of the frame that carries `events` to view `id`."
  def frame_bytes(id, events) do
    pushed =
      Enum.map_join(events, ",", fn [name, payload] -> "[#{string(name)},#{object(payload)}]" end)

    byte_size(~s(["4",null,#{string("lv:" <> id)},"diff",{"e":[#{pushed}]}]))
  end

  defp object(map),
    do:
      "{" <>
        Enum.map_join(map, ",", fn {k, v} -> string(to_string(k)) <> ":" <> string(v) end) <> "}"

  # Tokens, ids and names are URL-safe base64 or plain ASCII: nothing to escape.
  defp string(value) when is_binary(value), do: ~s("#{value}")
  defp string(value) when is_number(value), do: to_string(value)
end
