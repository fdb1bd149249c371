defmodule LiveStash.Test.JSON do
  @moduledoc """
  A minimal JSON decoder for reading the contract fixture and the test server bridge's
  frames (OTP 25 has no `:json`, and hex is out of reach). Objects become maps with
  string keys.
  """

  def decode!(text) when is_binary(text) do
    {value, rest} = value(skip(text))

    case skip(rest) do
      "" -> value
      extra -> raise ArgumentError, "unexpected trailing JSON: #{String.slice(extra, 0, 20)}"
    end
  end

  defp value("{" <> rest), do: object(skip(rest), %{})
  defp value("[" <> rest), do: array(skip(rest), [])
  defp value("\"" <> rest), do: string(rest, [])
  defp value("true" <> rest), do: {true, rest}
  defp value("false" <> rest), do: {false, rest}
  defp value("null" <> rest), do: {nil, rest}
  defp value(text), do: number(text)

  defp object("}" <> rest, acc), do: {acc, rest}

  defp object("\"" <> rest, acc) do
    {key, rest} = string(rest, [])
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

  @escapes %{
    ?" => ?",
    ?\\ => ?\\,
    ?/ => ?/,
    ?b => ?\b,
    ?f => ?\f,
    ?n => ?\n,
    ?r => ?\r,
    ?t => ?\t
  }

  # Runs up to the next quote or backslash are copied whole: the test server's bridge
  # decodes megabyte strings with it.
  defp string(text, acc) do
    {at, 1} = :binary.match(text, [<<?">>, <<?\\>>])
    <<run::binary-size(at), c, rest::binary>> = text

    case {c, rest} do
      {?", rest} ->
        {IO.iodata_to_binary(Enum.reverse([run | acc])), rest}

      {?\\, "u" <> <<hex::binary-4, rest::binary>>} ->
        string(rest, [<<String.to_integer(hex, 16)::utf8>>, run | acc])

      {?\\, <<e, rest::binary>>} ->
        string(rest, [Map.fetch!(@escapes, e), run | acc])
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
