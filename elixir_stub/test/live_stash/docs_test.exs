defmodule LiveStash.DocsTest do
  # ExDoc is not available offline, so this reads the docs chunks the compiler writes
  # (`Code.fetch_docs/1`) for every module of the :live_stash application that comes
  # from lib/ (the test doubles in test/support are compiled into the same app).
  #
  # Rules:
  #   * every module has a @moduledoc; `@moduledoc false` marks a module internal by
  #     choice, and then its functions are exempt too;
  #   * every public function and macro of a documented module has a @doc, unless it is
  #     `@doc false` or a callback implementation marked `@impl` (which gets the
  #     behaviour's doc);
  #   * the public API shows an example: an indented code block (a line indented four
  #     spaces after a blank line, not a list item), a fenced block or an `iex>` line.
  #     "Public API" means what a user's code calls or reads, narrowly:
  #       - every public function/macro @doc of `@api_modules`,
  #       - every callback doc of `LiveStash.Adapter` (what a custom adapter implements),
  #       - the @moduledoc of `@api_modules`, of `Mix.Tasks.LiveStash.Install` and of
  #         every module in lib/ that implements `LiveStash.Adapter` or the built-in
  #         adapters' `LiveStash.Adapter.Internal`;
  #   * options are documented where they are defined: the "## Options" section of
  #     `LiveStash.Options` and `LiveStash.Component.Options` has one entry per option
  #     (`* `:name``), and each entry states its default and shows a one-line example
  #     (`` `name: ...` ``), so a new option without docs fails here.
  use ExUnit.Case, async: true

  @lib Path.expand("../../lib", __DIR__)
  @api_modules [LiveStash, LiveStash.Component, LiveStash.Telemetry]
  @task Mix.Tasks.LiveStash.Install

  setup_all do
    :ok = with {:error, {:already_loaded, :live_stash}} <- Application.load(:live_stash), do: :ok
    modules = Enum.filter(Application.spec(:live_stash, :modules), &from_lib?/1)

    # Guard against passing vacuously: the list must hold what the rules below name.
    for module <- [
          LiveStash.Adapter,
          LiveStash.Options,
          LiveStash.Component.Options,
          @task | @api_modules
        ],
        do: assert(module in modules, "#{inspect(module)} is not listed as a lib/ module")

    %{docs: modules |> Enum.sort() |> Enum.map(&{&1, docs!(&1)})}
  end

  test "every module in lib/ has a @moduledoc (or is @moduledoc false)", %{docs: docs} do
    offenders = for {module, %{moduledoc: :none}} <- docs, do: inspect(module)
    assert offenders == [], "no @moduledoc (add one, or @moduledoc false):\n" <> lines(offenders)
  end

  test "every public function and macro of a documented module has a @doc", %{docs: docs} do
    offenders =
      for {module, %{moduledoc: moduledoc, entries: entries}} <- docs,
          moduledoc != :hidden,
          {{kind, name, arity}, doc} <- entries,
          kind in [:function, :macro],
          missing?(doc),
          do: "#{inspect(module)}.#{name}/#{arity}"

    assert offenders == [],
           "public functions without @doc (add one, or @doc false if internal):\n" <>
             lines(offenders)
  end

  test "the public API's function docs and callback docs show an example", %{docs: docs} do
    functions =
      for module <- @api_modules,
          {{kind, name, arity}, doc} <- docs_of(docs, module).entries,
          kind in [:function, :macro],
          # `__using__` without a @doc is hidden by the compiler; an API module's is required.
          name == :__using__ or is_binary(doc),
          not (is_binary(doc) and example?(doc)),
          do: "#{inspect(module)}.#{name}/#{arity}"

    callbacks =
      for {{kind, name, arity}, doc} <- docs_of(docs, LiveStash.Adapter).entries,
          kind in [:callback, :macrocallback],
          not (is_binary(doc) and example?(doc)),
          do: "LiveStash.Adapter callback #{name}/#{arity}"

    assert functions ++ callbacks == [],
           "public API docs without an example:\n" <> lines(functions ++ callbacks)
  end

  test "the public API's moduledocs and every adapter's moduledoc show an example",
       %{docs: docs} do
    adapters =
      for {module, _} <- docs,
          Enum.any?([LiveStash.Adapter, LiveStash.Adapter.Internal], &(&1 in behaviours(module))),
          do: module

    assert LiveStash.Adapters.ETS in adapters

    offenders =
      for module <- Enum.sort([@task | @api_modules] ++ adapters),
          moduledoc = docs_of(docs, module).moduledoc,
          not (is_binary(moduledoc) and example?(moduledoc)),
          do: inspect(module)

    assert offenders == [], "moduledocs without an example:\n" <> lines(offenders)
  end

  test "every LiveStash.Options option is documented in its ## Options section", %{docs: docs} do
    section = options_section!(docs, LiveStash.Options)
    assert offenders(section, LiveStash.Options.known()) == []
  end

  test "every LiveStash.Component.Options option is documented in its ## Options section",
       %{docs: docs} do
    section = options_section!(docs, LiveStash.Component.Options)
    options = Map.keys(struct(LiveStash.Component.Options, [])) -- [:__struct__]
    assert :stored_keys in options
    assert offenders(section, options) == []
  end

  test "the example check tells an example from prose and lists" do
    assert example?("Stashes.\n\n    socket |> LiveStash.stash()\n")
    assert example?("Stashes.\n\n    iex> 1 + 1\n    2\n")
    refute example?("Stashes the assigns.\n\nReturns the socket.")
    refute example?("Statuses:\n\n    * `:new` - nothing to recover\n")
  end

  defp docs_of(docs, module), do: List.keyfind(docs, module, 0) |> elem(1)

  defp from_lib?(module) do
    source = module.module_info(:compile)[:source]
    is_list(source) and String.starts_with?(List.to_string(source), @lib <> "/")
  end

  defp behaviours(module),
    do: Keyword.get_values(module.module_info(:attributes), :behaviour) |> List.flatten()

  defp docs!(module) do
    case Code.fetch_docs(module) do
      {:docs_v1, _anno, :elixir, _format, moduledoc, _meta, entries} ->
        %{
          moduledoc: text(moduledoc),
          entries: for({key, _anno, _sig, doc, _meta} <- entries, do: {key, text(doc)})
        }

      other ->
        flunk("no docs chunk for #{inspect(module)} (are docs disabled?): #{inspect(other)}")
    end
  end

  defp text(%{"en" => text}), do: text
  defp text(other), do: other

  defp missing?(doc), do: doc == :none or (is_binary(doc) and String.trim(doc) == "")

  # A line indented four spaces after a blank line (not a list item), a fence, or iex>.
  defp example?(doc) do
    doc =~ ~r/\n\s*\n {4,}(?![*-] )\S/ or doc =~ ~r/^\s*```/m or doc =~ ~r/^\s*iex>/m
  end

  defp options_section!(docs, module) do
    moduledoc = docs_of(docs, module).moduledoc
    assert is_binary(moduledoc), "#{inspect(module)} has no @moduledoc"

    case Regex.run(~r/^## Options\n(.*?)(?=^## |\z)/ms, moduledoc) do
      [_, section] -> section
      nil -> flunk("#{inspect(module)}'s @moduledoc has no \"## Options\" section")
    end
  end

  # Each option's entry: from its `* `:name`` bullet to the next bullet of the same level.
  defp offenders(section, options) do
    entries =
      ~r/^  \* `:(\w+)`(.*?)(?=^  \* |\z)/ms
      |> Regex.scan(section)
      |> Map.new(fn [_, name, body] -> {name, body} end)

    Enum.flat_map(options, fn option ->
      name = Atom.to_string(option)

      case Map.fetch(entries, name) do
        :error -> ["`:#{name}` has no entry"]
        {:ok, body} -> entry_offenses(name, body)
      end
    end)
  end

  defp entry_offenses(name, body) do
    [
      unless(body =~ ~r/default/i, do: "`:#{name}` does not state its default"),
      unless(String.contains?(body, "`#{name}: "), do: "`:#{name}` has no example `#{name}: ...`")
    ]
    |> Enum.reject(&is_nil/1)
  end

  defp lines(offenders), do: Enum.map_join(offenders, "\n", &"  * #{&1}")
end
