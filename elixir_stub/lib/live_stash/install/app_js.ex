defmodule LiveStash.Install.AppJs do
  @moduledoc """
  Edits a Phoenix `assets/js/app.js` (or `app.ts`) so the LiveSocket's `params` go
  through `initLiveStash(...)`, and imports `initLiveStash`.

  It recognises the shapes `mix phx.new` generates (Phoenix 1.7 and 1.8, reformatted or
  not) and a few hand-made ones, and refuses everything else rather than guess:

    * exactly one `new LiveSocket(path, Socket, {...})` whose third argument is an object
      literal with one `params:` property;
    * that `params` is an object literal, an arrow function (`() => ({...})`,
      `(el) => ...`), a `function`, or a plain identifier; `initLiveStash` takes an object
      or a function of the view's element, so each is wrapped as it is;
    * exactly one `import {LiveSocket} from "...phoenix_live_view"` line, after which the
      import goes (in that line's quotes and semicolon style).

  Each half is done only when missing, so a file edited before by the installer is left
  alone. A file that imports `initLiveStash` (or `createLiveStash`) and calls it is taken
  as set up by hand, whatever its shape: that is how a refused file gets past a second run.
  """

  alias LiveStash.Install.JsScan

  @live_socket ~r/\bnew\s+LiveSocket\s*\(/
  @live_socket_import ~r/^import\s*\{\s*LiveSocket\s*\}\s*from\s*(["'])[^"'\n]*phoenix_live_view\1(;?)[ \t]*\r?$/m
  @init_import ~r/^\s*import\s+(initLiveStash\s+from|\{[^}]*\binitLiveStash\b[^}]*\}\s*from)\s*["']/m
  @create_import ~r/^\s*import\s*\{[^}]*\bcreateLiveStash\b[^}]*\}\s*from\s*["']/m
  @identifier "[A-Za-z_$][\\w$]*"
  @arrow ~r/\A(?:#{@identifier}|\(\s*(?:#{@identifier}\s*\??\s*(?::\s*[\w$.|<>\[\] ]+)?)?\))\s*=>/
  @function ~r/\Afunction\b/

  @doc ~S"""
  Patches `source`, importing `initLiveStash` from `import_path`.

  Returns `{:ok, new_source, what_changed}`, `:unchanged` when both the import and the
  wrapped params are there already, or `{:error, reason}` when the file is not a shape it
  knows (then nothing may be edited).

      iex> js = ~s|import {LiveSocket} from "phoenix_live_view"\nlet liveSocket = new LiveSocket("/live", Socket, {params: {_csrf_token: csrfToken}})\n|
      iex> {:ok, patched, _what} = LiveStash.Install.AppJs.patch(js, "live-stash")
      iex> String.split(patched, "\n")
      [
        ~s|import {LiveSocket} from "phoenix_live_view"|,
        ~s|import initLiveStash from "live-stash"|,
        ~s|let liveSocket = new LiveSocket("/live", Socket, {params: initLiveStash({_csrf_token: csrfToken})})|,
        ""
      ]
      iex> LiveStash.Install.AppJs.patch(patched, "live-stash")
      :unchanged

      iex> LiveStash.Install.AppJs.patch(~s|new LiveSocket("/live", Socket, {params: getParams()})|, "live-stash")
      {:error, "the LiveSocket's params are `getParams()`, not an object, a function or a name"}
  """
  @spec patch(binary(), String.t()) ::
          {:ok, binary(), [String.t()]} | :unchanged | {:error, String.t()}
  def patch(source, import_path) do
    if set_up_by_hand?(source), do: :unchanged, else: patch_known(source, import_path)
  end

  defp set_up_by_hand?(source) do
    (Regex.match?(@init_import, source) and Regex.match?(~r/\binitLiveStash\s*\(/, source)) or
      (Regex.match?(@create_import, source) and Regex.match?(~r/\bcreateLiveStash\s*\(/, source))
  end

  defp patch_known(source, import_path) do
    with {:ok, value} <- params_value(source),
         {:ok, wrap} <- wrap_edit(source, value),
         {:ok, import} <- import_edit(source, import_path) do
      case Enum.reject([import, wrap], &is_nil/1) do
        [] -> :unchanged
        edits -> {:ok, apply_edits(source, edits), Enum.map(edits, &elem(&1, 2))}
      end
    end
  end

  @doc ~S"""
  The two lines a person adds by hand when the file is refused: the import, and the
  `params` line of the LiveSocket's options, wrapping the params `source` has when they
  fit on one line (a refused `params: buildParams()` keeps `buildParams()`).

      iex> LiveStash.Install.AppJs.by_hand("live-stash")
      [~s|import initLiveStash from "live-stash"|, "params: initLiveStash({_csrf_token: csrfToken}),"]
      iex> LiveStash.Install.AppJs.by_hand("live-stash", ~s|new LiveSocket("/live", Socket, {params: buildParams()})|)
      [~s|import initLiveStash from "live-stash"|, "params: initLiveStash(buildParams()),"]
  """
  @spec by_hand(String.t(), binary()) :: [String.t()]
  def by_hand(import_path, source \\ "") do
    [import_line(import_path, "\"", ""), "params: initLiveStash(#{own_params(source)}),"]
  end

  defp own_params(source) do
    with {:ok, {start, _stop} = value} when is_integer(start) <- params_value(source),
         text = text(source, value),
         false <- text == "" or text =~ ~r/[\r\n]|\/\/|\/\*|\A\s*initLiveStash\s*\(/ do
      text
    else
      _ -> "{_csrf_token: csrfToken}"
    end
  end

  defp params_value(source) do
    with {:ok, open} <- live_socket_call(source),
         {:ok, args, _} <- scan(source, open, "the LiveSocket call"),
         {:ok, options} <- options_object(source, args),
         {:ok, props, _} <- scan(source, options, "the LiveSocket options") do
      params_property(source, props)
    end
  end

  defp live_socket_call(source) do
    case Regex.scan(@live_socket, source, return: :index) do
      [[{at, len}]] -> {:ok, at + len - 1}
      [] -> {:error, "no `new LiveSocket(...)` found"}
      found -> {:error, "#{length(found)} `new LiveSocket(...)` found, expected one"}
    end
  end

  defp scan(source, open, what) do
    with {:error, reason} <- JsScan.items(source, open),
         do: {:error, "#{what} holds #{reason}, which the installer does not edit"}
  end

  defp options_object(source, [_path, _socket, {start, _stop} = options]) do
    if :binary.at(source, start) == ?{ and object_span?(source, options),
      do: {:ok, start},
      else:
        {:error, "the LiveSocket's options are `#{text(source, options)}`, not an object literal"}
  end

  defp options_object(_source, args),
    do:
      {:error,
       "`new LiveSocket(...)` has #{length(args)} arguments, expected 3 with the options last"}

  defp object_span?(source, {start, stop}) do
    match?({:ok, _, ^stop}, JsScan.items(source, start))
  end

  defp params_property(source, props) do
    case Enum.flat_map(props, &params_span(source, &1)) do
      [value] -> {:ok, value}
      [] -> {:error, "the LiveSocket's options have no `params: ...` property"}
      _ -> {:error, "the LiveSocket's options have `params` more than once"}
    end
  end

  defp params_span(source, {start, stop} = prop) do
    text = text(source, prop)

    case Regex.run(~r/\A(?:params|"params"|'params')\s*:/, text, return: :index) do
      [{0, len}] -> [{JsScan.skip_blank(source, start + len), stop}]
      nil when text == "params" -> [{:shorthand, prop}]
      nil -> []
    end
  end

  defp wrap_edit(_source, {:shorthand, _}),
    do: {:error, "the LiveSocket's options use the shorthand `params`"}

  defp wrap_edit(source, {start, stop} = value) do
    text = text(source, value)

    cond do
      String.starts_with?(text, "initLiveStash(") ->
        {:ok, nil}

      text =~ "//" or text =~ "/*" ->
        {:error, "the LiveSocket's params hold a comment"}

      wrappable?(source, value, text) ->
        {:ok, {start, stop, "wrapped the LiveSocket params in initLiveStash(...)"}}

      true ->
        {:error, "the LiveSocket's params are `#{text}`, not an object, a function or a name"}
    end
  end

  defp wrappable?(source, {start, _} = value, text) do
    (:binary.at(source, start) == ?{ and object_span?(source, value)) or
      Regex.match?(@arrow, text) or Regex.match?(@function, text) or
      Regex.match?(~r/\A#{@identifier}\z/, text)
  end

  defp import_edit(source, import_path) do
    case {Regex.match?(@init_import, source),
          Regex.scan(@live_socket_import, source, return: :index)} do
      {true, _} ->
        {:ok, nil}

      {false, [[{at, len}, {quote_at, 1}, {semi_at, semi_len}]]} ->
        newline = if String.contains?(source, "\r\n"), do: "\r\n", else: "\n"
        semi = binary_part(source, semi_at, semi_len)
        line = import_line(import_path, binary_part(source, quote_at, 1), semi)
        stop = JsScan.line_end(source, at + len)
        # The LiveSocket import may be the file's last line, without a newline of its own.
        insert = if stop == byte_size(source), do: newline <> line, else: line <> newline
        {:ok, {stop, stop, "imported initLiveStash from \"#{import_path}\"", insert}}

      {false, []} ->
        {:error,
         "no `import {LiveSocket} from \"phoenix_live_view\"` line to put the import after"}

      {false, _} ->
        {:error, "more than one `import {LiveSocket} ...` line"}
    end
  end

  defp import_line(path, quote, semi),
    do: "import initLiveStash from #{quote}#{path}#{quote}#{semi}"

  # Edits are applied from the end of the file back, so earlier offsets stay valid.
  defp apply_edits(source, edits) do
    edits
    |> Enum.sort_by(&elem(&1, 0), :desc)
    |> Enum.reduce(source, fn
      {at, at, _what, insert}, acc ->
        splice(acc, at, at, insert)

      {start, stop, _what}, acc ->
        splice(acc, start, stop, "initLiveStash(" <> binary_part(acc, start, stop - start) <> ")")
    end)
  end

  defp splice(source, start, stop, insert) do
    binary_part(source, 0, start) <> insert <> binary_part(source, stop, byte_size(source) - stop)
  end

  defp text(_source, {start, stop}) when stop < start, do: ""
  defp text(source, {start, stop}), do: binary_part(source, start, stop - start)
end
