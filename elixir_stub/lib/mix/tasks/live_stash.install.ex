defmodule Mix.Tasks.LiveStash.Install do
  @shortdoc "Sets up live-stash in a Phoenix app (config and app.js)"

  @moduledoc """
  Sets up live-stash in a Phoenix app. Run it in the app's root, after adding the
  dependency to `mix.exs` and running `mix deps.get` (the task ships with it):

      $ mix live_stash.install
      $ mix live_stash.install --dry-run

  It makes two edits and prints what it changed, then the next step (the `use LiveStash`
  line for a LiveView, with an example):

    * `config/config.exs` gets
      `config :live_stash, adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.BrowserMemory]`.
      ETS is always on, so it is listed only to make the line the full list a reader
      sees and extends. BrowserMemory is switched on because it needs nothing installed
      and is the adapter whose stashes survive a server restart or a deploy (they live
      in the browser); switching it on starts nothing, each LiveView still picks its
      adapter with `adapter:`. Redis and Mnesia need a server or a cluster, so they are
      left for you to add. The line goes into `config.exs` because `use LiveStash` checks
      the adapter when the LiveView compiles.
    * `assets/js/app.js` (or `app.ts`) imports `initLiveStash` and wraps the LiveSocket's
      `params` in it: `params: initLiveStash({_csrf_token: csrfToken})`. Params that are
      already a function are wrapped as they are. The import is `live-stash` when
      `assets/package.json` lists the npm package; else it is the prebuilt bundle where
      Mix resolved the dependency, relative to the script:
      `../../deps/live_stash/assets/js/live-stash.js` for the git dependency (the
      official library's path), the dependency's own `assets/js/live-stash.js` for a
      `path:` one (a monorepo, a vendored copy). No bundle there (deps not fetched, a
      `path:` that is not the repository's `elixir_stub` folder) stops the run with
      nothing written.

  It also checks that `mix.exs` lists `:live_stash` and says so if not.

  It is idempotent: what is already there is left alone, and a run with nothing to do
  says so and writes nothing.

  ## Options

    * `--dry-run` - print the diff of every change and write nothing.

  ## When it refuses

  It edits only the shapes `mix phx.new` generates (Phoenix 1.7 and 1.8, see
  `LiveStash.Install.AppJs` for the exact rules). For anything else it writes nothing at
  all, prints the lines to add by hand (wrapping your own params) and exits with status 1:

      ** (Mix) live_stash.install changed nothing. assets/js/app.js: the LiveSocket's
      params are `getParams()`, not an object, a function or a name.

      Add these lines to assets/js/app.js by hand:

          import initLiveStash from "../../deps/live_stash/assets/js/live-stash.js"
          params: initLiveStash(getParams()),
      ...

  Run it again afterwards: it recognises the hand-made edit and adds the rest.
  """

  use Mix.Task

  alias LiveStash.Install
  alias LiveStash.Install.{Diff, Project}

  @impl Mix.Task
  def run(args) do
    dry_run? = parse!(args)
    root = File.cwd!()

    case Install.plan(root, bundle()) do
      {:ok, files} -> report(root, files, dry_run?)
      {:error, refusal} -> Mix.raise(refusal_message(refusal))
    end
  end

  # Where Mix resolved the dependency (a git checkout, a `path:`, a Hex package).
  defp bundle,
    do: Project.bundle(Mix.Project.deps_paths()[:live_stash], Mix.Project.deps_path())

  defp parse!(args) do
    case OptionParser.parse(args, strict: [dry_run: :boolean]) do
      {opts, [], []} -> Keyword.get(opts, :dry_run, false)
      _ -> Mix.raise("mix live_stash.install takes only --dry-run, got: #{Enum.join(args, " ")}")
    end
  end

  defp report(root, files, dry_run?) do
    shell = Mix.shell()
    changed = Install.changed(files)

    cond do
      changed == [] ->
        shell.info("Nothing to change: #{paths(files)} are already set up for live-stash.")

      dry_run? ->
        shell.info("--dry-run: nothing was written. A run would make these changes:\n")
        Enum.each(changed, &shell.info(Diff.unified(&1.path, &1.old, &1.new)))

      true ->
        Install.write!(root, changed)
        Enum.each(files, &shell.info(summary(&1)))
    end

    unless Project.dependency?(root) do
      shell.error(
        "mix.exs does not list :live_stash. Add it to deps (see the live_stash README):\n\n" <>
          ~s|    {:live_stash, git: "<this repository's URL>", subdir: "elixir_stub"}\n|
      )
    end

    types_note(root, files)
    shell.info(next_step(Project.web_module(root)))
  end

  defp paths(files), do: Enum.map_join(files, " and ", & &1.path)

  defp summary(%{path: path, done: []}), do: "* unchanged #{path} (already set up)"

  defp summary(%{path: path, done: done}),
    do: Enum.join(["* updated #{path}" | Enum.map(done, &"    #{&1}")], "\n")

  # The prebuilt bundle carries no type declarations; only the npm package has them.
  defp types_note(root, files) do
    if Enum.any?(files, &String.ends_with?(&1.path, ".ts")) and not Project.npm_package?(root) do
      Mix.shell().info(
        "\napp.ts imports the prebuilt bundle, which has no type declarations. For types, " <>
          "install the npm package in assets/ and import initLiveStash from \"live-stash\" " <>
          "(see the live-stash README)."
      )
    end
  end

  defp next_step(web) do
    """

    Next, in a LiveView: after `use #{web}, :live_view`, name the assigns to keep

        use LiveStash, stored_keys: [:count]

    put them back in mount/3 after a reconnect

        {status, socket} = LiveStash.recover_state(socket)
        socket = if status == :recovered, do: socket, else: assign(socket, :count, 0)

    and stash them where they change, e.g. in handle_event/3:

        {:noreply, socket |> update(:count, &(&1 + 1)) |> LiveStash.stash()}

    To keep the stash in the browser (it survives a server restart), add
    `adapter: LiveStash.Adapters.BrowserMemory, security_mode: :encrypt`.
    """
  end

  defp refusal_message(%{path: path, reason: reason, by_hand: []}),
    do: "live_stash.install changed nothing. #{path}: #{reason}."

  defp refusal_message(%{path: path, reason: reason, by_hand: lines}) do
    """
    live_stash.install changed nothing. #{path}: #{reason}.

    Add #{if length(lines) == 1, do: "this line", else: "these lines"} to #{path} by hand:

    #{Enum.map_join(lines, "\n", &"    #{&1}")}
    #{hint(lines)}
    Then run `mix live_stash.install` again: it recognises what you added and makes the
    remaining edits.
    """
  end

  defp hint([_import, _params]) do
    "\nThe import goes with the other imports; the params line replaces the `params:` in\n" <>
      "`new LiveSocket(...)`'s options, wrapping your own params if they are not the default.\n"
  end

  defp hint(_lines), do: ""
end
