defmodule LiveStash.Install.JsScan do
  @moduledoc false
  # Just enough of a JavaScript reader to edit `new LiveSocket(...)` safely: it splits the
  # items of a bracketed list (a call's arguments, an object literal's properties) at their
  # top-level commas, skipping strings and comments.
  #
  # It never guesses. A template literal, or a `/` that is not a comment (a regular
  # expression and a division look alike without a full parser), stops it with an error,
  # and the installer then refuses the file instead of half-editing it.
  #
  # Spans are `{start, stop}` byte offsets into the source, `stop` exclusive.

  @typedoc "Byte offsets `{start, stop}` into the source, `stop` exclusive."
  @type span :: {non_neg_integer(), non_neg_integer()}

  @closers %{?( => ?), ?[ => ?], ?{ => ?}}

  @doc ~S"""
  Splits the list whose opening bracket (`(`, `[` or `{`) is at byte `open`.

  Returns the span of each item, trimmed of whitespace and of comments before it (a
  trailing comma leaves no empty item), and the offset just past the closing bracket.

      iex> LiveStash.Install.JsScan.items("{a: 1, // one\n b: [2, 3],}", 0)
      {:ok, [{1, 5}, {15, 24}], 26}

      iex> LiveStash.Install.JsScan.items("(`x`)", 0)
      {:error, "a template literal"}

      iex> src = ~s|f(a, {b: 1}, "c,d")|
      iex> {:ok, spans, _after} = LiveStash.Install.JsScan.items(src, 1)
      iex> Enum.map(spans, fn {start, stop} -> binary_part(src, start, stop - start) end)
      ["a", "{b: 1}", ~s|"c,d"|]
  """
  @spec items(binary(), non_neg_integer()) ::
          {:ok, [span()], non_neg_integer()} | {:error, String.t()}
  def items(source, open) do
    case Map.fetch(@closers, :binary.at(source, open)) do
      {:ok, closer} -> walk(source, open + 1, [closer], open + 1, [])
      :error -> {:error, "no opening bracket"}
    end
  end

  @doc ~S"""
  The offset of the first character at or after `pos` that is neither whitespace nor part
  of a comment.

      iex> LiveStash.Install.JsScan.skip_blank("  /* a */ // b\n  x", 0)
      17
  """
  @spec skip_blank(binary(), non_neg_integer()) :: non_neg_integer()
  def skip_blank(source, pos) do
    case source do
      <<_::binary-size(pos), c, _::binary>> when c in ~c" \t\r\n" ->
        skip_blank(source, pos + 1)

      <<_::binary-size(pos), "//", _::binary>> ->
        skip_blank(source, line_end(source, pos))

      <<_::binary-size(pos), "/*", _::binary>> ->
        case block_end(source, pos + 2) do
          {:ok, next} -> skip_blank(source, next)
          :error -> pos
        end

      _ ->
        pos
    end
  end

  defp walk(source, pos, _stack, _start, _acc) when pos >= byte_size(source),
    do: {:error, "an unclosed bracket"}

  defp walk(source, pos, [closer | outer] = stack, start, acc) do
    char = :binary.at(source, pos)

    cond do
      char in [?", ?'] ->
        with {:ok, next} <- string_end(source, pos + 1, char),
             do: walk(source, next, stack, start, acc)

      char == ?` ->
        {:error, "a template literal"}

      char == ?/ ->
        with {:ok, next} <- comment_end(source, pos), do: walk(source, next, stack, start, acc)

      Map.has_key?(@closers, char) ->
        walk(source, pos + 1, [@closers[char] | stack], start, acc)

      char == closer and outer == [] ->
        {:ok, finish(source, start, pos, acc), pos + 1}

      char == closer ->
        walk(source, pos + 1, outer, start, acc)

      char in ~c")]}" ->
        {:error, "unbalanced brackets"}

      char == ?, and outer == [] ->
        walk(source, pos + 1, stack, pos + 1, [{start, pos} | acc])

      true ->
        walk(source, pos + 1, stack, start, acc)
    end
  end

  defp finish(source, start, stop, acc) do
    [{start, stop} | acc]
    |> Enum.reverse()
    |> Enum.map(&trim(source, &1))
    |> Enum.reject(fn {from, to} -> from >= to end)
  end

  defp trim(source, {start, stop}) do
    from = min(skip_blank(source, start), stop)
    {from, trim_end(source, from, stop)}
  end

  defp trim_end(source, from, stop) when stop > from do
    if :binary.at(source, stop - 1) in ~c" \t\r\n",
      do: trim_end(source, from, stop - 1),
      else: stop
  end

  defp trim_end(_source, _from, stop), do: stop

  defp string_end(source, pos, _quote) when pos >= byte_size(source),
    do: {:error, "an unclosed string"}

  defp string_end(source, pos, quote) do
    case :binary.at(source, pos) do
      ?\\ -> string_end(source, pos + 2, quote)
      ?\n -> {:error, "an unclosed string"}
      ^quote -> {:ok, pos + 1}
      _ -> string_end(source, pos + 1, quote)
    end
  end

  defp comment_end(source, pos) do
    case source do
      <<_::binary-size(pos), "//", _::binary>> ->
        {:ok, line_end(source, pos)}

      <<_::binary-size(pos), "/*", _::binary>> ->
        with :error <- block_end(source, pos + 2), do: {:error, "an unclosed comment"}

      _ ->
        {:error, "a `/` (a regular expression or a division)"}
    end
  end

  @doc ~S"""
  The offset just past the end of the line that holds `pos` (past its `\n`), or the end
  of the source.

      iex> LiveStash.Install.JsScan.line_end("ab\ncd", 0)
      3
  """
  @spec line_end(binary(), non_neg_integer()) :: non_neg_integer()
  def line_end(source, pos) do
    case :binary.match(source, "\n", scope: {pos, byte_size(source) - pos}) do
      {at, 1} -> at + 1
      :nomatch -> byte_size(source)
    end
  end

  defp block_end(source, pos) do
    case :binary.match(source, "*/", scope: {pos, byte_size(source) - pos}) do
      {at, 2} -> {:ok, at + 2}
      :nomatch -> :error
    end
  end
end
