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
  Reads the app at `root` and returns the planned edits, or why it refuses. `bundle` is
  where the dependency's prebuilt bundle is (`LiveStash.Install.Project.bundle/2`), or
  why there is none; it is needed only when the app does not use the npm package.

      iex> LiveStash.Install.plan("/nonexistent", {:ok, "/nonexistent/deps/live_stash/assets/js/live-stash.js"})
      {:error,
       %{
         path: "assets/js/app.js",
         reason: "found neither assets/js/app.js nor assets/js/app.ts",
         by_hand: [
           ~s|import initLiveStash from "../../deps/live_stash/assets/js/live-stash.js"|,
           "params: initLiveStash({_csrf_token: csrfToken}),"
         ]
       }}

      iex> LiveStash.Install.plan("/nonexistent", {:error, "no bundle"})
      {:error, %{path: "mix.exs", reason: "no bundle", by_hand: []}}
  """
  @spec plan(Path.t(), {:ok, Path.t()} | {:error, String.t()}) ::
          {:ok, [file()]} | {:error, refusal()}
  def plan(root, bundle) do
    found = Project.script(root)
    script = with {:error, _} <- found, do: {:ok, "assets/js/app.js"}

    with {:ok, import_path} <- import_path(root, script, bundle),
         js_by_hand = AppJs.by_hand(import_path),
         {:ok, script} <- script(found, js_by_hand),
         {:ok, js} <-
           edit(root, script, &AppJs.patch(&1, import_path), &AppJs.by_hand(import_path, &1)),
         {:ok, config} <- edit(root, @config, &ConfigExs.patch/1, fn _ -> [ConfigExs.line()] end) do
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
    Enum.each(changed, &replace!(Path.join(root, &1.path), &1.new))
    changed
  end

  # The new text goes to a file beside the old one, which is then renamed over it: a
  # rename within a directory is atomic, so a run that is interrupted leaves the old
  # file or the new one, never a truncated one.
  defp replace!(path, text) do
    tmp = Path.join(Path.dirname(path), ".#{Path.basename(path)}.live_stash_install")

    try do
      File.write!(tmp, text, [:sync])
      File.chmod!(tmp, File.stat!(path).mode)
      File.rename!(tmp, path)
    after
      # Gone already after the rename; left only by a failed write.
      File.rm(tmp)
    end
  end

  @doc ~S"""
  The files of a plan that change.

      iex> LiveStash.Install.changed([%{path: "a.js", old: "x", new: "y", done: ["edited"]}])
      [%{path: "a.js", old: "x", new: "y", done: ["edited"]}]
  """
  @spec changed([file()]) :: [file()]
  def changed(files), do: Enum.reject(files, &(&1.old == &1.new))

  defp import_path(root, {:ok, script}, bundle) do
    with {:error, reason} <- Project.import_path(root, script, bundle),
         do: {:error, %{path: "mix.exs", reason: reason, by_hand: []}}
  end

  defp script(found, by_hand) do
    with {:error, reason} <- found,
         do: {:error, %{path: "assets/js/app.js", reason: reason, by_hand: by_hand}}
  end

  # `by_hand` gives the lines to add by hand for the file as it is.
  defp edit(root, path, patch, by_hand) do
    with {:ok, old} <- read(root, path, by_hand.("")) do
      case patch.(old) do
        {:ok, new, done} -> {:ok, %{path: path, old: old, new: new, done: done}}
        :unchanged -> {:ok, %{path: path, old: old, new: old, done: []}}
        {:error, reason} -> {:error, %{path: path, reason: reason, by_hand: by_hand.(old)}}
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
