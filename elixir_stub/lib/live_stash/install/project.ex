defmodule LiveStash.Install.Project do
  @moduledoc """
  What the installer reads from a Phoenix app's tree before it edits anything: which
  script holds the LiveSocket, where `initLiveStash` is imported from (the npm package,
  or the bundle where Mix resolved the dependency), whether `mix.exs` lists the
  dependency, and the app's web module for the example it prints.

  Paths are relative to the app's root, as the installer prints them.
  """

  @bundle "assets/js/live-stash.js"
  @scripts ["assets/js/app.js", "assets/js/app.ts"]

  @doc ~S"""
  The app's LiveSocket script: `assets/js/app.js`, or `assets/js/app.ts` in an app moved
  to TypeScript. Both, or neither, is an error.

      iex> LiveStash.Install.Project.script("/nonexistent")
      {:error, "found neither assets/js/app.js nor assets/js/app.ts"}
  """
  @spec script(Path.t()) :: {:ok, String.t()} | {:error, String.t()}
  def script(root) do
    case Enum.filter(@scripts, &File.regular?(Path.join(root, &1))) do
      [script] ->
        {:ok, script}

      [] ->
        {:error, "found neither assets/js/app.js nor assets/js/app.ts"}

      _ ->
        {:error, "found both assets/js/app.js and assets/js/app.ts; keep the one your build uses"}
    end
  end

  @doc ~S"""
  Where the script imports `initLiveStash` from: the npm package `live-stash` when
  `assets/package.json` lists it, else the prebuilt `bundle` (see `bundle/2`), as a path
  relative to the script.

      iex> LiveStash.Install.Project.import_path("/app", "assets/js/app.js", {:ok, "/app/deps/live_stash/assets/js/live-stash.js"})
      {:ok, "../../deps/live_stash/assets/js/live-stash.js"}
      iex> LiveStash.Install.Project.import_path("/repo/apps/web", "assets/js/app.js", {:ok, "/repo/vendor/live_stash/elixir_stub/assets/js/live-stash.js"})
      {:ok, "../../../../vendor/live_stash/elixir_stub/assets/js/live-stash.js"}
  """
  @spec import_path(Path.t(), String.t(), {:ok, Path.t()} | {:error, String.t()}) ::
          {:ok, String.t()} | {:error, String.t()}
  def import_path(root, script, bundle) do
    cond do
      npm_package?(root) -> {:ok, "live-stash"}
      match?({:ok, _}, bundle) -> {:ok, relative(elem(bundle, 1), Path.join(root, script))}
      true -> bundle
    end
  end

  @doc "Whether `assets/package.json` lists the npm package `live-stash`."
  @spec npm_package?(Path.t()) :: boolean()
  def npm_package?(root) do
    case File.read(Path.join(root, "assets/package.json")) do
      {:ok, json} -> json =~ ~r/"live-stash"\s*:/
      {:error, _} -> false
    end
  end

  @doc ~S"""
  The prebuilt bundle of the `live_stash` dependency that Mix resolved to `dep_dir`
  (`Mix.Project.deps_paths/0`; nil when the app has no such dependency), `deps_path`
  being the app's `deps/` folder.

  A git dependency with `subdir: "elixir_stub"` is checked out whole at
  `deps/live_stash/`, whose root holds the bundle at the official library's path; that
  one is preferred. A `path:` dependency (a monorepo, a vendored copy) or a Hex package
  holds it in its own `assets/js/`.

      iex> LiveStash.Install.Project.bundle(nil, "/app/deps")
      {:error, "Mix resolves no :live_stash dependency in this project. Add it to mix.exs's deps and run `mix deps.get`"}
  """
  @spec bundle(Path.t() | nil, Path.t()) :: {:ok, Path.t()} | {:error, String.t()}
  def bundle(nil, _deps_path) do
    {:error,
     "Mix resolves no :live_stash dependency in this project. " <>
       "Add it to mix.exs's deps and run `mix deps.get`"}
  end

  def bundle(dep_dir, deps_path) do
    checkout = Path.join(deps_path, "live_stash")

    roots =
      if String.starts_with?(dep_dir, checkout <> "/"), do: [checkout, dep_dir], else: [dep_dir]

    candidates = Enum.map(roots, &Path.join(&1, @bundle))

    case Enum.find(candidates, &File.regular?/1) do
      nil ->
        {:error,
         "Mix resolves :live_stash to #{dep_dir}, but there is no #{Enum.join(candidates, " nor ")}. " <>
           "Run `mix deps.get`; a `path:` dependency must name the repository's elixir_stub folder"}

      found ->
        {:ok, found}
    end
  end

  # A relative import (esbuild reads a bare name as a package): "./" or "../" first.
  defp relative(target, from_file) do
    {to, from} = drop_common(Path.split(target), Path.split(Path.dirname(from_file)))

    case List.duplicate("..", length(from)) ++ to do
      [".." | _] = parts -> Enum.join(parts, "/")
      parts -> Enum.join(["." | parts], "/")
    end
  end

  defp drop_common([same | to], [same | from]), do: drop_common(to, from)
  defp drop_common(to, from), do: {to, from}

  @doc ~S"""
  Whether the app's `mix.exs` lists `:live_stash` as a dependency.

      iex> LiveStash.Install.Project.dependency?("/nonexistent")
      false
  """
  @spec dependency?(Path.t()) :: boolean()
  def dependency?(root) do
    case File.read(Path.join(root, "mix.exs")) do
      {:ok, mix_exs} -> mix_exs =~ ~r/\{\s*:live_stash\s*,/
      {:error, _} -> false
    end
  end

  @doc ~S"""
  The app's web module, as `mix phx.new` names it from `app:` in `mix.exs`
  (`:my_app` gives `MyAppWeb`); `MyAppWeb` when it cannot tell.

      iex> LiveStash.Install.Project.web_module("/nonexistent")
      "MyAppWeb"
  """
  @spec web_module(Path.t()) :: String.t()
  def web_module(root) do
    with {:ok, mix_exs} <- File.read(Path.join(root, "mix.exs")),
         [_, app] <- Regex.run(~r/\bapp:\s*:([a-z][a-z0-9_]*)/, mix_exs) do
      Macro.camelize(app) <> "Web"
    else
      _ -> "MyAppWeb"
    end
  end
end
