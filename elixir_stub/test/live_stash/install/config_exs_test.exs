defmodule LiveStash.Install.ConfigExsTest do
  use ExUnit.Case, async: true

  alias LiveStash.Install.ConfigExs

  test "without an import_config, the line goes at the end" do
    assert {:ok, new, _} = ConfigExs.patch("import Config\nconfig :my_app, key: 1\n")

    assert new =~
             ~r/\Aimport Config\nconfig :my_app, key: 1\n\n(#[^\n]*\n)+#{Regex.escape(ConfigExs.line())}\n\z/
  end

  test "an older Mix.env() import_config is found too" do
    source = Enum.join(["use Mix.Config", "", ~S|import_config "#{Mix.env()}.exs"|, ""], "\n")
    assert {:ok, new, _} = ConfigExs.patch(source)
    assert new =~ ~r/#{Regex.escape(ConfigExs.line())}\n\nimport_config/
  end

  test "other :live_stash settings do not count as adapters" do
    assert {:ok, new, _} =
             ConfigExs.patch(~s|import Config\nconfig :live_stash, redis: "redis://x"\n|)

    assert new =~ ConfigExs.line()
  end

  test "adapters set in any form, anywhere, leave the file alone" do
    for source <- [
          "import Config\nconfig :live_stash, adapters: []\n",
          "import Config\nconfig :live_stash, :adapters, [LiveStash.Adapters.Redis]\n",
          "import Config\nif config_env() == :prod do\n  config :live_stash, ttl: 1, adapters: []\nend\n"
        ] do
      assert ConfigExs.patch(source) == :unchanged
    end
  end

  test "a file that is not Elixir is refused" do
    assert {:error, "not valid Elixir (line " <> _} =
             ConfigExs.patch("import Config\nconfig :a,\n")
  end
end
