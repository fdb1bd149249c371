defmodule LiveStash.Bridge.JSON do
  @moduledoc false
  # The bridge's frames are JSON (OTP 25 has no :json). Strings are copied in runs, not
  # character by character: a stash here may hold a 1 MB assign and its token.

  def encode!(value), do: IO.iodata_to_binary(enc(value))

  def decode!(text) when is_binary(text) do
    {value, rest} = value(skip(text))
    "" = skip(rest)
    value
  end

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

  defp value("{" <> rest), do: object(skip(rest), %{})
  defp value("[" <> rest), do: array(skip(rest), [])
  defp value("\"" <> rest), do: str(rest, [])
  defp value("true" <> rest), do: {true, rest}
  defp value("false" <> rest), do: {false, rest}
  defp value("null" <> rest), do: {nil, rest}
  defp value(text), do: number(text)

  defp object("}" <> rest, acc), do: {acc, rest}

  defp object("\"" <> rest, acc) do
    {key, rest} = str(rest, [])
    ":" <> rest = skip(rest)
    {val, rest} = value(skip(rest))
    acc = Map.put(acc, key, val)

    case skip(rest) do
      "," <> rest -> object(skip(rest), acc)
      "}" <> rest -> {acc, rest}
    end
  end

  defp array("]" <> rest, acc), do: {Enum.reverse(acc), rest}

  defp array(text, acc) do
    {val, rest} = value(text)

    case skip(rest) do
      "," <> rest -> array(skip(rest), [val | acc])
      "]" <> rest -> {Enum.reverse([val | acc]), rest}
    end
  end

  @escapes %{?" => ?", ?\\ => ?\\, ?/ => ?/, ?b => ?\b, ?f => ?\f, ?n => ?\n, ?r => ?\r, ?t => ?\t}

  defp str(text, acc) do
    {at, 1} = :binary.match(text, [<<?">>, <<?\\>>])
    <<run::binary-size(at), c, rest::binary>> = text

    case c do
      ?" ->
        {IO.iodata_to_binary(Enum.reverse([run | acc])), rest}

      ?\\ ->
        case rest do
          "u" <> <<hex::binary-4, rest::binary>> ->
            str(rest, [<<String.to_integer(hex, 16)::utf8>>, run | acc])

          <<e, rest::binary>> ->
            str(rest, [Map.fetch!(@escapes, e), run | acc])
        end
    end
  end

  defp number(text) do
    [num] = Regex.run(~r/^-?\d+(\.\d+)?([eE][+-]?\d+)?/, text)
    rest = binary_part(text, byte_size(num), byte_size(text) - byte_size(num))

    if String.contains?(num, [".", "e", "E"]),
      do: {elem(Float.parse(num), 0), rest},
      else: {String.to_integer(num), rest}
  end

  defp skip(<<c, rest::binary>>) when c in [?\s, ?\n, ?\r, ?\t], do: skip(rest)
  defp skip(text), do: text
end
