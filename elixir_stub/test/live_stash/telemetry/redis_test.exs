defmodule LiveStash.Telemetry.RedisTest do
  @moduledoc "What the Redis adapter emits through `:telemetry`, with Redis up and down."
  use ExUnit.Case, async: false

  import ExUnit.CaptureLog
  import LiveStash.Test.Flow
  import LiveStash.Test.RedisCase

  alias LiveStash.Adapters.Redis
  alias LiveStash.Record
  alias LiveStash.Test.{Define, RedisServer, TelemetryEvents, View, ViewServer}

  @view LiveStash.Telemetry.RedisTest.Counter

  setup_all do
    context = start_redis!()
    Define.view!(@view, adapter: Redis, stored_keys: [:count])
    context
  end

  setup do
    TelemetryEvents.attach!()
    :ok
  end

  test "a Redis stash reports the size of the value it stores" do
    pid = stashed_view(@view, 12)

    assert_receive {:telemetry, [:live_stash, :stash, :stop], %{bytes: bytes},
                    %{view: @view, adapter: Redis, status: :ok}}

    state = ViewServer.socket(pid).private.live_stash
    assert bytes == byte_size(Record.encode(Record.new(state, @view, %{count: 12})))
  end

  test "Redis down: an adapter error for the write and the read, and a recovery :error",
       %{redis: redis} do
    landed = stashed_view(@view, 1)
    pid = stashed_view(@view, 1)
    :ok = LiveStash.Test.Writers.settle()
    on_exit(fn -> capture_log(fn -> RedisServer.restart!(redis) end) end)
    TelemetryEvents.received()

    capture_log(fn ->
      RedisServer.kill!(redis)
      :ok = ViewServer.update(pid, {View, :put_count, [2]})

      # The write goes behind the LiveView: its span is the hand-over, and the writer
      # reports the failure.
      assert_receive {:telemetry, [:live_stash, :stash, :stop], _, %{view: @view, status: :ok}}

      assert_receive {:telemetry, [:live_stash, :adapter, :error], %{system_time: _},
                      %{
                        adapter: Redis,
                        view: @view,
                        operation: :put,
                        reason: {:redis_unavailable, _}
                      }},
                     2_000

      # A stash with nothing pending on this node needs Redis to recover.
      reconnect(landed, @view)
    end)

    assert_receive {:telemetry, [:live_stash, :adapter, :error], _,
                    %{
                      adapter: Redis,
                      view: @view,
                      operation: :fetch,
                      reason: {:redis_unavailable, _}
                    }}

    assert_receive {:telemetry, [:live_stash, :recover, :stop], _,
                    %{view: @view, adapter: Redis, status: :error, reason: :adapter_down}}
  end
end
