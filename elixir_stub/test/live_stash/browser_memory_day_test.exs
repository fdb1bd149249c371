defmodule LiveStash.BrowserMemoryDayTest do
  @moduledoc """
  A keyed browser stash kept open for more than a day (issue 21, part 1): every kept
  key's token is re-sealed before its absolute bound (`LiveStash.Lease.bound/1`), also
  when another key keeps changing and so the manifest never grows old. The suite's clock
  (`LiveStash.Test.Clock`) moves a beat's worth before each keep-alive beat.
  """
  # Moves the VM-wide test clock.
  use ExUnit.Case, async: false

  alias LiveStash.Lease
  alias LiveStash.Test.{Client, Clock, Define, ViewServer}
  import LiveStash.Test.Flow

  # A long ttl keeps the day to about a hundred beats.
  @ttl 3_600
  @beat div(@ttl, 4)

  setup do
    on_exit(&Clock.reset/0)
    :ok
  end

  defp set(pid, assigns),
    do:
      :ok =
        ViewServer.update(pid, &(&1 |> Phoenix.Component.assign(assigns) |> LiveStash.stash()))

  defp change?(nil, _n), do: false
  defp change?(every, n), do: rem(n, every) == 0

  for mode <- [:sign, :encrypt], every <- [2, nil] do
    changes = if every, do: "changes to another key", else: "no change at all"

    test "#{mode}: a key that never changes outlives a day of #{changes}" do
      every = unquote(every)

      opts = [
        adapter: LiveStash.Adapters.BrowserMemory,
        security_mode: unquote(mode),
        stored_keys: [:count, :other],
        ttl: @ttl
      ]

      view = Define.view!(:"Elixir.LiveStash.DayTest.#{unquote(mode)}#{every}", opts)
      pid = start!(view, Client.fresh_params(), id: ViewServer.random_id())
      set(pid, count: 0, other: "settings")

      # A day and a quarter of beats; the count changes on every `every`th one.
      beats = div(Lease.bound(@ttl), @beat) + 24

      for n <- 1..beats do
        Clock.advance(@beat)
        if change?(every, n), do: set(pid, count: n)
        beat(pid)
      end

      count = if change?(every, beats), do: beats, else: 0

      # Re-sealed once near its bound, not on every beat.
      pushes = ViewServer.payloads(pid, LiveStash.Events.stash_keys())
      assert Enum.count(pushes, &Map.has_key?(&1.keys, "a:other")) == 2

      pid = reconnect(pid, view)

      assert %{recover_status: :recovered, count: ^count, other: "settings"} =
               ViewServer.assigns(pid)
    end
  end
end
