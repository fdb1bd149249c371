defmodule LiveStash.Bridge.JSON do
  @moduledoc false
  # The bridge's frames are JSON (OTP 25 has no :json): the suite's decoder, and an encoder
  # that copies strings in runs (a stash here may hold a 1 MB assign and its token).

  def encode!(value), do: IO.iodata_to_binary(enc(value))

  defdelegate decode!(text), to: LiveStash.Test.JSON

  defp enc(nil), do: "null"
  defp enc(true), do: "true"
  defp enc(false), do: "false"
  defp enc(atom) when is_atom(atom), do: string(Atom.to_string(atom))
  defp enc(int) when is_integer(int), do: Integer.to_string(int)
  defp enc(float) when is_float(float), do: Float.to_string(float)
  defp enc(text) when is_binary(text), do: string(text)
  defp enc(list) when is_list(list), do: ["[", Enum.intersperse(Enum.map(list, &enc/1), ","), "]"]
  defp enc(tuple) when is_tuple(tuple), do: enc(Tuple.to_list(tuple))

  defp enc(%{} = map) do
    pairs = for {k, v} <- map, do: [string(key(k)), ":", enc(v)]
    ["{", Enum.intersperse(pairs, ","), "}"]
  end

  defp key(k) when is_binary(k), do: k
  defp key(k) when is_atom(k), do: Atom.to_string(k)
  defp key(k), do: inspect(k)

  defp string(text), do: [?", escape(text), ?"]

  defp escape(text) do
    case :binary.match(text, [<<?">>, <<?\\>> | for(c <- 0..31, do: <<c>>)]) do
      :nomatch ->
        text

      {at, 1} ->
        <<run::binary-size(at), c, rest::binary>> = text
        [run, escaped(c) | escape(rest)]
    end
  end

  defp escaped(?"), do: "\\\""
  defp escaped(?\\), do: "\\\\"
  defp escaped(c), do: "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
end
