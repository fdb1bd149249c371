import Config

if config_env() == :test do
  # Short sweeps so the suite can watch expired rows disappear without waiting a minute.
  config :live_stash,
    adapters: [
      LiveStash.Adapters.ETS,
      LiveStash.Adapters.BrowserMemory,
      LiveStash.Adapters.Mnesia
    ],
    ets_sweep_interval: 200,
    mnesia_cleanup_interval: 200,
    # A clock the tests can move (LiveStash.Clock), for what takes days to happen.
    clock: LiveStash.Test.Clock
end

if config_env() == :bridge do
  # The browser suite moves this clock (the bridge's "advance"), not the OS's: a VM whose
  # OS monotonic clock steps under it aborts.
  config :live_stash, clock: LiveStash.Test.Clock
end
