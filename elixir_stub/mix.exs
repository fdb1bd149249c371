defmodule LiveStash.MixProject do
  use Mix.Project

  @version "0.1.0"

  @bridge_support ~w(
    test/support/phoenix
    test/support/plug_crypto
    test/support/clock.ex
    test/support/components.ex
    test/support/endpoint.ex
    test/support/json.ex
    test/support/plug_crypto_keys.ex
    test/support/redis_server.ex
    test/support/view_server.ex
  )

  def project do
    [
      app: :live_stash,
      version: @version,
      elixir: "~> 1.14",
      elixirc_paths: elixirc_paths(Mix.env()),
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      # Mnesia ships with OTP and is started by LiveStash.Adapters.Mnesia only when that
      # adapter is active, so ETS-only apps do not boot it (a release that uses the
      # adapter lists :mnesia in its own extra_applications; see guides/adapters.md).
      # Redis clients are optional: neither is a dependency in :test (no hex in CI), and
      # Debian ships eredis under another application name (redis_client).
      # Telemetry is optional too: LiveStash.Telemetry.Optional checks for it at runtime.
      xref: [exclude: [:mnesia, Redix, :eredis, :telemetry, Telemetry.Metrics]],
      description: "Keep chosen Phoenix LiveView assigns across dropped sockets and reloads.",
      package: [
        licenses: ["Apache-2.0"],
        files: ~w(lib assets guides mix.exs README.md .formatter.exs)
      ],
      docs: docs()
    ]
  end

  # ExDoc's configuration, as a hex package publishes its guides (ExDoc itself is not a
  # dependency here: no hex in CI).
  defp docs do
    [
      main: "readme",
      extras: [
        "README.md",
        "guides/adapters.md",
        "guides/custom-adapters.md",
        "guides/components.md",
        "guides/auto-stash.md",
        "guides/deploys-and-clusters.md",
        "guides/reliability.md",
        "guides/migrations.md",
        "guides/security.md",
        "guides/telemetry.md",
        "guides/keyed-stashes.md",
        "guides/wire-protocol.md",
        "guides/installer.md",
        "guides/testing.md"
      ],
      groups_for_extras: [Guides: ~r"guides/"]
    ]
  end

  def application do
    [extra_applications: [:logger, :crypto], mod: {LiveStash.Application, []}]
  end

  # The suite runs against small doubles of the Phoenix API in test/support, because
  # hex.pm is not reachable in CI; they must never leak into the compiled library.
  defp elixirc_paths(:test), do: ["lib", "test/support"]
  # The bridge beside the Node LiveView-protocol server (liveview-server/README.md): the
  # library, the Phoenix doubles and the few helpers they need, never the rest of the suite.
  defp elixirc_paths(:bridge), do: ["lib", "bridge" | @bridge_support]
  defp elixirc_paths(_), do: ["lib"]

  # Phoenix is left out of this project's own :test env so the suite needs neither hex
  # nor a deps/ folder and the doubles never clash with the real modules. An app that
  # depends on live_stash loads this file in the :prod env and gets Phoenix as usual.
  defp deps do
    if Mix.env() in [:test, :bridge] do
      []
    else
      [
        {:phoenix_live_view, "~> 1.0"},
        {:phoenix, "~> 1.7"},
        # LiveStash.Adapters.Redis uses Redix when the app has it, else eredis.
        {:redix, "~> 1.1", optional: true},
        {:eredis, "~> 1.2", optional: true},
        # Events and LiveDashboard metrics (LiveStash.Telemetry) when the app has them,
        # as every Phoenix app does; span/3 returning measurements needs telemetry 1.1.
        {:telemetry, "~> 1.1", optional: true},
        {:telemetry_metrics, "~> 0.6 or ~> 1.0", optional: true}
      ]
    end
  end
end
