defmodule LiveStash.Install.ConfigExs do
  @moduledoc false
  # Adds the `config :live_stash, adapters: [...]` line to a Phoenix app's
  # `config/config.exs`, above the `import_config` that `mix phx.new` puts at the bottom
  # (and above that line's comment), or at the end when there is none.
  #
  # The file is read as Elixir first: one that does not parse is refused, and one that
  # already sets `:adapters` for `:live_stash` anywhere (even inside an `if`) is left as it
  # is, whatever adapters it lists. The line goes into `config.exs`, not `runtime.exs`,
  # because `use LiveStash` checks its adapter against it when the LiveView compiles.

  @line "config :live_stash, adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.BrowserMemory]"

  @block """
  # live-stash: the adapters a LiveView may pick with `use LiveStash, adapter: ...`.
  # ETS is the default and always on; BrowserMemory keeps the stash in the browser, so
  # it survives a server restart. Add LiveStash.Adapters.Redis or .Mnesia to use them.
  #{@line}
  """

  @import_config ~r/^import_config\s*\(?\s*"#\{(config_env\(\)|Mix\.env\(?\)?)\}\.exs"/m

  @doc ~S"""
  The config line the installer adds.

      iex> LiveStash.Install.ConfigExs.line()
      "config :live_stash, adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.BrowserMemory]"
  """
  @spec line() :: String.t()
  def line, do: @line

  @doc ~S"""
  Patches `source`. Returns `{:ok, new_source, what_changed}`, `:unchanged` when the
  adapters are configured already, or `{:error, reason}`.

      iex> config = Enum.join(["import Config", "", ~S|import_config "#{config_env()}.exs"|, ""], "\n")
      iex> {:ok, patched, _what} = LiveStash.Install.ConfigExs.patch(config)
      iex> patched =~ ~r/adapters: .*\n\nimport_config/
      true
      iex> LiveStash.Install.ConfigExs.patch(patched)
      :unchanged
  """
  @spec patch(binary()) :: {:ok, binary(), [String.t()]} | :unchanged | {:error, String.t()}
  def patch(source) do
    case Code.string_to_quoted(source) do
      {:ok, ast} ->
        if adapters_set?(ast), do: :unchanged, else: {:ok, insert(source), ["added #{@line}"]}

      {:error, {meta, message, token}} ->
        line = if is_list(meta), do: meta[:line], else: meta
        {:error, "not valid Elixir (line #{line}: #{format(message)}#{token})"}
    end
  end

  defp format({prefix, suffix}), do: "#{prefix}#{suffix}"
  defp format(message), do: message

  defp adapters_set?(ast) do
    {_, found} =
      Macro.prewalk(ast, false, fn
        {:config, _, [:live_stash, :adapters, _]} = node, _ -> {node, true}
        {:config, _, [:live_stash, opts]} = node, acc -> {node, acc or adapters_key?(opts)}
        node, acc -> {node, acc}
      end)

    found
  end

  defp adapters_key?(opts), do: is_list(opts) and Enum.any?(opts, &match?({:adapters, _}, &1))

  defp insert(source) do
    newline = if String.contains?(source, "\r\n"), do: "\r\n", else: "\n"
    block = String.replace(@block, "\n", newline)

    case Regex.run(@import_config, source, return: :index) do
      [{at, _} | _] ->
        at = comment_start(source, at)

        binary_part(source, 0, at) <>
          block <> newline <> binary_part(source, at, byte_size(source) - at)

      nil ->
        separator = if String.ends_with?(source, "\n"), do: newline, else: newline <> newline
        source <> separator <> block
    end
  end

  # The generated file explains the import_config in the comment lines just above it;
  # the new block goes above that comment so the two stay together.
  defp comment_start(source, at) do
    before = binary_part(source, 0, at)

    case Regex.run(~r/(?:^[ \t]*#[^\n]*\n)+\z/m, before, return: :index) do
      [{start, _}] -> start
      nil -> at
    end
  end
end
