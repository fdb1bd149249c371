defmodule Mix.Tasks.LiveStash.InstallTest do
  # The task edits the app in the current directory, and the directory is the VM's:
  # these tests run after the async ones, one at a time.
  use ExUnit.Case, async: false

  import ExUnit.CaptureIO

  alias LiveStash.Install.ConfigExs

  # A fresh directory per test under the system's, removed afterwards (not ExUnit's
  # :tmp_dir, which would leave a tmp/ folder in the project).
  setup do
    tmp = Path.join(System.tmp_dir!(), "live_stash_install_#{System.unique_integer([:positive])}")
    File.mkdir_p!(tmp)
    on_exit(fn -> File.rm_rf!(tmp) end)
    %{tmp_dir: tmp}
  end

  @fixtures Path.expand("../../fixtures/install", __DIR__)
  @deps_import ~s|import initLiveStash from "../../deps/live_stash/assets/js/live-stash.js"|
  @live_socket_import ~s|import {LiveSocket} from "phoenix_live_view"\n|
  @csrf_params "params: {_csrf_token: csrfToken}"
  @wrapped_params "params: initLiveStash({_csrf_token: csrfToken})"

  describe "on the apps mix phx.new generates" do
    for {fixture, version} <- [
          phx_1_7: "1.7",
          phx_1_7_single_line: "early 1.7",
          phx_1_8: "1.8"
        ] do
      test "Phoenix #{version}: wraps the params, imports initLiveStash, adds the config line",
           %{tmp_dir: tmp} do
        root = app!(unquote(fixture), tmp)
        js = read(root, "assets/js/app.js")
        config = read(root, "config/config.exs")

        {out, err} = install(root)

        assert read(root, "assets/js/app.js") ==
                 js
                 |> String.replace(
                   @live_socket_import,
                   @live_socket_import <> @deps_import <> "\n"
                 )
                 |> String.replace(@csrf_params, @wrapped_params)

        assert_config_added(root, config)
        assert out =~ "* updated config/config.exs\n    added #{ConfigExs.line()}"

        assert out =~
                 "* updated assets/js/app.js\n" <>
                   ~s|    imported initLiveStash from "../../deps/live_stash/assets/js/live-stash.js"\n| <>
                   "    wrapped the LiveSocket params in initLiveStash(...)"

        assert out =~ "after `use MyAppWeb, :live_view`"
        assert out =~ "\n    use LiveStash, stored_keys: [:count]\n"
        assert err == ""
      end
    end

    test "the 1.8 file keeps longPollFallbackMs and the colocated hooks as they were",
         %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      install(root)

      assert read(root, "assets/js/app.js") =~
               """
               const liveSocket = new LiveSocket("/live", Socket, {
                 longPollFallbackMs: 2500,
                 params: initLiveStash({_csrf_token: csrfToken}),
                 hooks: {...colocatedHooks},
               })
               """

      assert read(root, "assets/js/app.js") =~
               @live_socket_import <>
                 @deps_import <>
                 ~s|\nimport {hooks as colocatedHooks} from "phoenix-colocated/my_app"\n|
    end
  end

  test "params that are already a function are wrapped as they are", %{tmp_dir: tmp} do
    root = app!(:params_function, tmp)
    install(root)

    assert read(root, "assets/js/app.js") =~
             "  params: initLiveStash((el) => ({_csrf_token: csrfToken, locale: el.dataset.locale})),\n"

    assert read(root, "assets/js/app.js") =~ @live_socket_import <> @deps_import <> "\n"
  end

  test "app.ts: imports the npm package that package.json lists, in the file's own style",
       %{tmp_dir: tmp} do
    root = app!(:app_ts, tmp)
    ts = read(root, "assets/js/app.ts")

    {out, _err} = install(root)

    assert read(root, "assets/js/app.ts") ==
             ts
             |> String.replace(
               "import { LiveSocket } from 'phoenix_live_view';\n",
               "import { LiveSocket } from 'phoenix_live_view';\nimport initLiveStash from 'live-stash';\n"
             )
             |> String.replace(
               "params: { _csrf_token: csrfToken },",
               "params: initLiveStash({ _csrf_token: csrfToken }),"
             )

    assert out =~ "* updated assets/js/app.ts"
    refute out =~ "no type declarations"
  end

  test "app.ts importing the prebuilt bundle is told where the types are", %{tmp_dir: tmp} do
    root = app!(:app_ts, tmp)
    File.rm!(Path.join(root, "assets/package.json"))

    {out, _err} = install(root)

    assert read(root, "assets/js/app.ts") =~
             ~s|import initLiveStash from '../../deps/live_stash/assets/js/live-stash.js';\n|

    assert out =~ "app.ts imports the prebuilt bundle, which has no type declarations"
  end

  describe "a second run" do
    test "changes nothing and says so", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      install(root)
      before = files(root)

      {out, _err} = install(root)

      assert files(root) == before

      assert out =~
               "Nothing to change: config/config.exs and assets/js/app.js are already set up"

      refute out =~ "* updated"
    end

    test "leaves a config that already lists adapters as it is", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      own = "config :live_stash, adapters: [LiveStash.Adapters.Redis]\n"
      File.write!(Path.join(root, "config/config.exs"), own, [:append])

      {out, _err} = install(root)

      assert read(root, "config/config.exs") =~ own
      refute read(root, "config/config.exs") =~ ConfigExs.line()
      assert out =~ "* unchanged config/config.exs (already set up)"
      assert out =~ "* updated assets/js/app.js"
    end
  end

  describe "--dry-run" do
    test "prints the diff a run would apply and writes nothing", %{tmp_dir: tmp} do
      root = app!(:phx_1_7, tmp)
      before = files(root)

      {out, _err} = install(root, ["--dry-run"])

      assert files(root) == before
      assert out =~ "--dry-run: nothing was written."
      assert out =~ "\n-  #{@csrf_params}\n+  #{@wrapped_params}\n"
      assert out =~ "\n+#{@deps_import}\n"
      assert out =~ "\n+#{ConfigExs.line()}\n"

      # The printed diff is a real patch: git applies it and gets what a run writes.
      File.write!(Path.join(tmp, "dry-run.patch"), patch_text(out))
      assert {_, 0} = System.cmd("git", ["apply", Path.join(tmp, "dry-run.patch")], cd: root)

      other = app!(:phx_1_7, Path.join(tmp, "run"))
      install(other)
      assert files(root) == files(other)
    end

    test "after a run, says there is nothing to change", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      install(root)

      {out, _err} = install(root, ["--dry-run"])

      assert out =~ "Nothing to change"
      refute out =~ "--- a/"
    end
  end

  describe "a file it does not recognise" do
    test "is refused: nothing written, the two lines printed, a Mix error", %{tmp_dir: tmp} do
      root = app!(:hand_edited, tmp)
      before = files(root)

      error = refused(root)

      assert files(root) == before

      assert error.message =~
               "assets/js/app.js: the LiveSocket's options are `socketOptions`, not an object literal"

      assert error.message =~
               "\n    #{@deps_import}\n    params: initLiveStash({_csrf_token: csrfToken}),\n"
    end

    test "params from a call: the line to add by hand wraps them, keeping them", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      js = String.replace(read(root, "assets/js/app.js"), @csrf_params, "params: buildParams()")
      File.write!(Path.join(root, "assets/js/app.js"), js)

      error = refused(root)

      assert error.message =~ "the LiveSocket's params are `buildParams()`"
      assert error.message =~ "\n    #{@deps_import}\n    params: initLiveStash(buildParams()),\n"
      assert read(root, "assets/js/app.js") == js
    end

    test "makes `mix live_stash.install` exit with status 1", %{tmp_dir: tmp} do
      root = app!(:hand_edited, tmp)
      js = read(root, "assets/js/app.js")

      {out, status} = mix_install(root)

      assert status == 1
      assert out =~ "** (Mix) live_stash.install changed nothing."
      assert out =~ @deps_import
      assert read(root, "assets/js/app.js") == js
    end

    test "passes once the two lines are added by hand, and adds the config", %{tmp_dir: tmp} do
      root = app!(:hand_edited, tmp)
      refused(root)

      by_hand =
        root
        |> read("assets/js/app.js")
        |> String.replace(@live_socket_import, @live_socket_import <> @deps_import <> "\n")
        |> String.replace(@csrf_params, @wrapped_params)

      File.write!(Path.join(root, "assets/js/app.js"), by_hand)
      config = read(root, "config/config.exs")

      {out, _err} = install(root)

      assert read(root, "assets/js/app.js") == by_hand
      assert_config_added(root, config)
      assert out =~ "* unchanged assets/js/app.js (already set up)"
    end

    test "a config.exs that does not parse is refused, app.js untouched too", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)

      File.write!(Path.join(root, "config/config.exs"), "import Config\nconfig :my_app,\n", [
        :append
      ])

      before = files(root)

      error = refused(root)

      assert error.message =~ "config/config.exs: not valid Elixir (line"
      assert error.message =~ "\n    #{ConfigExs.line()}\n"
      assert files(root) == before
    end

    test "an app without assets/js/app.js is refused", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      File.rm!(Path.join(root, "assets/js/app.js"))

      assert refused(root).message =~ "found neither assets/js/app.js nor assets/js/app.ts"
    end
  end

  describe "mix.exs" do
    test "without :live_stash in the deps, it says so and writes nothing", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      drop_dependency!(root)
      before = files(root)

      assert refused(root).message =~
               "mix.exs: Mix resolves no :live_stash dependency in this project. " <>
                 "Add it to mix.exs's deps and run `mix deps.get`"

      assert files(root) == before
    end

    test "with the npm package, it edits and says when :live_stash is missing from the deps",
         %{tmp_dir: tmp} do
      root = app!(:app_ts, tmp)
      drop_dependency!(root)

      {out, err} = install(root)

      assert out =~ "* updated assets/js/app.ts"
      assert err =~ "mix.exs does not list :live_stash"
    end

    test "says nothing about it when it is there", %{tmp_dir: tmp} do
      {_out, err} = install(app!(:phx_1_8, tmp))

      assert err == ""
    end
  end

  describe "a path: dependency (a monorepo, a vendored checkout)" do
    @vendored_import ~s|import initLiveStash from "../../vendor/live-stash/elixir_stub/assets/js/live-stash.js"|

    test "imports the bundle where Mix resolved it, relative to app.js; a second run changes nothing",
         %{tmp_dir: tmp} do
      root = app!([:phx_1_8, :path_dep], tmp)

      {out, _err} = install(root)

      js = read(root, "assets/js/app.js")
      assert js =~ @live_socket_import <> @vendored_import <> "\n"
      refute js =~ "deps/live_stash"
      [_, path] = Regex.run(~r/initLiveStash from "([^"]+)"/, js)
      assert File.regular?(Path.expand(path, Path.join(root, "assets/js")))
      assert out =~ ~s|imported initLiveStash from "../../vendor/live-stash/elixir_stub/|

      before = files(root)
      {again, _err} = install(root)
      assert files(root) == before
      assert again =~ "Nothing to change"
    end

    test "whose copy has no bundle is refused with where it looked, nothing written",
         %{tmp_dir: tmp} do
      root = app!([:phx_1_8, :path_dep], tmp)
      File.rm!(Path.join(root, "vendor/live-stash/elixir_stub/assets/js/live-stash.js"))
      before = files(root)

      message = refused(root).message

      assert message =~
               "Mix resolves :live_stash to #{Path.join(root, "vendor/live-stash/elixir_stub")}"

      assert message =~
               "no #{Path.join(root, "vendor/live-stash/elixir_stub/assets/js/live-stash.js")}"

      assert files(root) == before
    end

    test "the real `mix` command writes the same import", %{tmp_dir: tmp} do
      root = app!([:phx_1_8, :path_dep], tmp)

      {out, 0} = mix_install(root)

      assert out =~ "* updated assets/js/app.js"
      assert read(root, "assets/js/app.js") =~ @vendored_import <> "\n"
    end
  end

  describe "writing" do
    test "replaces each file by a rename, leaving no temporary file", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      File.chmod!(Path.join(root, "assets/js/app.js"), 0o640)
      inodes = Map.new(Map.keys(files(root)), &{&1, File.stat!(Path.join(root, &1)).inode})

      install(root)

      for {path, inode} <- inodes do
        stat = File.stat!(Path.join(root, path))
        assert stat.inode != inode, "#{path} was written in place"
      end

      assert Bitwise.band(File.stat!(Path.join(root, "assets/js/app.js")).mode, 0o777) == 0o640
      assert File.ls!(Path.join(root, "assets/js")) == ["app.js"]
      refute Enum.any?(File.ls!(Path.join(root, "config")), &String.starts_with?(&1, "."))
    end

    test "a write that fails leaves the file whole, as it was", %{tmp_dir: tmp} do
      root = app!(:phx_1_8, tmp)
      js = read(root, "assets/js/app.js")
      # The temporary file cannot be made: a directory holds its name.
      File.mkdir_p!(Path.join(root, "assets/js/.app.js.live_stash_install"))

      assert_raise File.Error, fn -> install(root) end

      assert read(root, "assets/js/app.js") == js
    end
  end

  test "an unknown option is an error, and nothing is written", %{tmp_dir: tmp} do
    root = app!(:phx_1_8, tmp)
    js = read(root, "assets/js/app.js")

    assert_raise Mix.Error, ~r/takes only --dry-run/, fn -> install(root, ["--dryrun"]) end
    assert read(root, "assets/js/app.js") == js
  end

  # An app tree: the files every fixture shares, plus the fixtures' own, in order.
  defp app!(fixtures, dir) do
    root = Path.join(dir, "app")
    File.mkdir_p!(root)
    File.cp_r!(Path.join(@fixtures, "common"), root)
    for fixture <- List.wrap(fixtures), do: File.cp_r!(Path.join(@fixtures, "#{fixture}"), root)
    root
  end

  defp install(root, args \\ []) do
    in_app(root, fn ->
      err =
        capture_io(:stderr, fn ->
          send(self(), {:out, capture_io(fn -> Mix.Task.rerun("live_stash.install", args) end)})
        end)

      assert_received {:out, out}
      {out, err}
    end)
  end

  defp refused(root) do
    in_app(root, fn ->
      capture_io(fn ->
        send(self(), {:error, catch_error(Mix.Task.rerun("live_stash.install", []))})
      end)

      assert_received {:error, %Mix.Error{} = error}
      error
    end)
  end

  # Runs `fun` in the app's directory with its mix.exs as the current project, as the
  # `mix` command would: the task asks Mix where the dependency is. Mix resolves the deps
  # of the project at the bottom of its stack (here the suite's own), so the app's are
  # resolved as `mix` would resolve them and cached for it; the tests that run the real
  # `mix` command (below) check that this stand-in agrees. Each app's mix.exs defines
  # the same modules, so their redefinition is expected.
  defp in_app(root, fun) do
    previous = Code.compiler_options()[:ignore_module_conflict]
    Code.compiler_options(ignore_module_conflict: true)
    app = :"my_app_#{System.unique_integer([:positive])}"

    try do
      Mix.Project.in_project(app, root, fn project ->
        env = {Mix.env(), Mix.target()}
        deps = Mix.Dep.load_on_environment(env: Mix.env(), target: Mix.target())
        # Where Mix keeps that cache: Mix.State up to Elixir 1.14, Mix.ProjectStack after.
        cache =
          if function_exported?(Mix.State, :write_cache, 2), do: Mix.State, else: Mix.ProjectStack

        cache.write_cache({:cached_deps, project}, {env, deps})
        fun.()
      end)
    after
      Code.compiler_options(ignore_module_conflict: previous)
    end
  end

  # What the `mix` script does: start Mix and hand it the command line, in the app's own
  # env (its config imports config/dev.exs), with this build's task on the code path.
  defp mix_install(root) do
    ebin = Path.dirname(:code.which(Mix.Tasks.LiveStash.Install))

    System.cmd(
      "elixir",
      ["-pa", ebin, "-e", ~s|Mix.start(); Mix.CLI.main(["live_stash.install"])|],
      cd: root,
      env: [{"MIX_ENV", "dev"}],
      stderr_to_stdout: true
    )
  end

  defp drop_dependency!(root) do
    mix_exs = read(root, "mix.exs")
    File.write!(Path.join(root, "mix.exs"), String.replace(mix_exs, ~r/^.*:live_stash.*\n/m, ""))
  end

  defp read(root, path), do: File.read!(Path.join(root, path))

  defp files(root), do: Map.new(["assets/js/app.js", "config/config.exs"], &{&1, read(root, &1)})

  # The only change: the config line (with its comment) just above the import_config
  # comment; and Config reads it back as the adapters LiveStash uses.
  defp assert_config_added(root, before) do
    after_run = read(root, "config/config.exs")
    anchor = "# Import environment specific config"
    line = Regex.escape(ConfigExs.line())
    [block] = Regex.run(~r/(?:#[^\n]*\n)*#{line}\n\n(?=#{anchor})/, after_run)

    assert after_run == String.replace(before, anchor, block <> anchor)

    assert Config.Reader.read!(Path.join(root, "config/config.exs"), env: :dev)[:live_stash] ==
             [adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.BrowserMemory]]
  end

  defp patch_text(out) do
    out
    |> String.split("\n\n")
    |> Enum.filter(&String.starts_with?(&1, "--- a/"))
    |> Enum.map_join(&(&1 <> "\n"))
  end
end
