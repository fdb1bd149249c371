defmodule LiveStash.Install do
  @moduledoc """
  The edits `mix live_stash.install` makes to a Phoenix app, computed before anything is
  written: every file is read and patched in memory first, so a file the installer does
  not recognise stops the whole run with nothing written.

  A plan lists one entry per file it looks at, `config/config.exs` and the LiveSocket
  script; an entry whose `new` equals its `old` needs no change.
  """

  alias LiveStash.Install.{AppJs, ConfigExs, Project}

  @typedoc "One file of a plan: its path from the root, its text before and after, what changed."
  @type file :: %{path: String.t(), old: binary(), new: binary(), done: [String.t()]}

  @typedoc "Why a run stops, and the lines to add to `path` by hand instead."
  @type refusal :: %{path: String.t(), reason: String.t(), by_hand: [String.t()]}

  @config "config/config.exs"

  @doc ~S"""
  Reads the app at `root` and returns the planned edits, or why it refuses.

      iex> LiveStash.Install.plan("/nonexistent")
      {:error,
       %{
         path: "assets/js/app.js",
         reason: "found neither assets/js/app.js nor assets/js/app.ts",
         by_hand: [
           ~s|import initLiveStash from "../../deps/live_stash/assets/js/live-stash.js"|,
           "params: initLiveStash({_csrf_token: csrfToken}),"
         ]
       }}
  """
  @spec plan(Path.t()) :: {:ok, [file()]} | {:error, refusal()}
  def plan(root) do
    import_path = Project.import_path(root)
    js_by_hand = AppJs.by_hand(import_path)

    with {:ok, script} <- script(root, js_by_hand),
         {:ok, js} <- edit(root, script, &AppJs.patch(&1, import_path), js_by_hand),
         {:ok, config} <- edit(root, @config, &ConfigExs.patch/1, [ConfigExs.line()]) do
      {:ok, [config, js]}
    end
  end

  @doc ~S"""
  Writes the files of a plan that change, and returns them.

      iex> LiveStash.Install.write!("/nonexistent", [%{path: "a.js", old: "x", new: "x", done: []}])
      []
  """
  @spec write!(Path.t(), [file()]) :: [file()]
  def write!(root, files) do
    changed = changed(files)
    Enum.each(changed, &File.write!(Path.join(root, &1.path), &1.new))
    changed
  end

  @doc ~S"""
  The files of a plan that change.

      iex> LiveStash.Install.changed([%{path: "a.js", old: "x", new: "y", done: ["edited"]}])
      [%{path: "a.js", old: "x", new: "y", done: ["edited"]}]
  """
  @spec changed([file()]) :: [file()]
  def changed(files), do: Enum.reject(files, &(&1.old == &1.new))

  defp script(root, by_hand) do
    with {:error, reason} <- Project.script(root),
         do: {:error, %{path: "assets/js/app.js", reason: reason, by_hand: by_hand}}
  end

  defp edit(root, path, patch, by_hand) do
    with {:ok, old} <- read(root, path, by_hand) do
      case patch.(old) do
        {:ok, new, done} -> {:ok, %{path: path, old: old, new: new, done: done}}
        :unchanged -> {:ok, %{path: path, old: old, new: old, done: []}}
        {:error, reason} -> {:error, %{path: path, reason: reason, by_hand: by_hand}}
      end
    end
  end

  defp read(root, path, by_hand) do
    case File.read(Path.join(root, path)) do
      {:ok, source} ->
        {:ok, source}

      {:error, posix} ->
        {:error,
         %{path: path, reason: "cannot read it (#{:file.format_error(posix)})", by_hand: by_hand}}
    end
  end
end
