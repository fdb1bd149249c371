defmodule LiveStash.Install.Project do
  @moduledoc """
  What the installer reads from a Phoenix app's tree before it edits anything: which
  script holds the LiveSocket, where `initLiveStash` is imported from, whether `mix.exs`
  lists the dependency, and the app's web module for the example it prints.

  Paths are relative to the app's root, as the installer prints them.
  """

  @deps_import "../../deps/live_stash/assets/js/live-stash.js"
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
  `assets/package.json` lists it, else the bundle inside the Mix git dependency (Mix
  checks the whole repository out at `deps/live_stash/`).

      iex> LiveStash.Install.Project.import_path("/nonexistent")
      "../../deps/live_stash/assets/js/live-stash.js"
  """
  @spec import_path(Path.t()) :: String.t()
  def import_path(root) do
    case File.read(Path.join(root, "assets/package.json")) do
      {:ok, json} -> if json =~ ~r/"live-stash"\s*:/, do: "live-stash", else: @deps_import
      {:error, _} -> @deps_import
    end
  end

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
