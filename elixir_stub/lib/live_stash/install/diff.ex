defmodule LiveStash.Install.Diff do
  @moduledoc false
  # A unified diff of one file, as `git diff` prints it (three lines of context), so
  # `mix live_stash.install --dry-run` shows exactly what a run would change.

  @context 3

  @doc ~S"""
  The diff between `old` and `new` for the file at `path`; `""` when they are equal.

      iex> LiveStash.Install.Diff.unified("a.js", "one\ntwo\n", "one\nnew\ntwo\n") |> String.split("\n")
      ["--- a/a.js", "+++ b/a.js", "@@ -1,2 +1,3 @@", " one", "+new", " two", ""]
  """
  @spec unified(String.t(), binary(), binary()) :: String.t()
  def unified(_path, same, same), do: ""

  def unified(path, old, new) do
    entries = number(List.myers_difference(lines(old), lines(new)))

    hunks =
      entries
      |> Enum.with_index()
      |> Enum.reject(fn {{op, _, _, _}, _} -> op == :eq end)
      |> Enum.map(fn {_, index} -> {max(index - @context, 0), index + @context} end)
      |> merge()
      |> Enum.map(fn {first, last} -> hunk(Enum.slice(entries, first..last)) end)

    IO.iodata_to_binary(["--- a/#{path}\n", "+++ b/#{path}\n" | hunks])
  end

  defp lines(text) do
    case String.split(text, "\n") do
      [_ | _] = all -> if List.last(all) == "", do: Enum.drop(all, -1), else: all
    end
  end

  # Each line with its operation and its 1-based number in the old and the new file.
  defp number(script) do
    {entries, _} =
      Enum.flat_map_reduce(script, {1, 1}, fn {op, lines}, {old_no, new_no} ->
        entries = Enum.with_index(lines, fn line, i -> entry(op, line, old_no, new_no, i) end)
        {entries, advance(op, length(lines), old_no, new_no)}
      end)

    entries
  end

  defp entry(:eq, line, old_no, new_no, i), do: {:eq, line, old_no + i, new_no + i}
  defp entry(:del, line, old_no, new_no, i), do: {:del, line, old_no + i, new_no}
  defp entry(:ins, line, old_no, new_no, i), do: {:ins, line, old_no, new_no + i}

  defp advance(:eq, n, old_no, new_no), do: {old_no + n, new_no + n}
  defp advance(:del, n, old_no, new_no), do: {old_no + n, new_no}
  defp advance(:ins, n, old_no, new_no), do: {old_no, new_no + n}

  defp merge(ranges) do
    ranges
    |> Enum.reduce([], fn
      {first, last}, [{prev_first, prev_last} | rest] when first <= prev_last + 1 ->
        [{prev_first, max(last, prev_last)} | rest]

      range, acc ->
        [range | acc]
    end)
    |> Enum.reverse()
  end

  defp hunk([{_, _, old_start, new_start} | _] = entries) do
    old_count = Enum.count(entries, fn {op, _, _, _} -> op != :ins end)
    new_count = Enum.count(entries, fn {op, _, _, _} -> op != :del end)
    body = Enum.map(entries, fn {op, line, _, _} -> [sign(op), line, "\n"] end)
    ["@@ -#{old_start},#{old_count} +#{new_start},#{new_count} @@\n" | body]
  end

  defp sign(:eq), do: " "
  defp sign(:del), do: "-"
  defp sign(:ins), do: "+"
end
