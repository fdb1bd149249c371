# The suite runs distributed from the start: Mnesia (an active adapter in :test) takes
# the node name when it starts, and must not see it change when cluster tests begin.
level = Logger.level()
Logger.configure(level: :warning)
_ = Application.stop(:live_stash)
:stopped = :mnesia.stop()
LiveStash.Test.Peers.ensure_distributed!()

:ok =
  :logger.add_primary_filter(:quiet_global, {&LiveStash.Test.Peers.drop_partition_warning/2, []})

{:ok, _} = Application.ensure_all_started(:live_stash)
Logger.configure(level: level)

ExUnit.start()
