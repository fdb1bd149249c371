defmodule LiveStash.AutoStashRetryTest do
  @moduledoc """
  A failed `auto_stash` write of a server store (issue 21, part 7), e.g. while the Redis
  or Mnesia writer restarts (`{:error, :not_running}`): it stays pending, is retried a
  bounded number of times with a backoff, and is written at terminate.
  """
  # Switches an adapter on in the VM-wide config.
  use ExUnit.Case, async: false

  import LiveStash.Test.Flow

  alias LiveStash.Adapters.ETS
  alias LiveStash.Test.{Client, Define, View, ViewServer}

  # Stores like ETS, but refuses every put while the store is down, as a server adapter
  # does while its writer restarts; tells the test what it took and what it refused.
  defmodule Flaky do
    use LiveStash.Test.ETSLike

    def put(socket, state, record) do
      {test, down?} = :persistent_term.get(__MODULE__)
      send(test, {if(down?, do: :refused, else: :stored), record.assigns[:count]})
      if down?, do: {:error, :not_running}, else: ETS.put(socket, state, record)
    end

    def down(down?), do: :persistent_term.put(__MODULE__, {self(), down?})
  end

  setup do
    adapters = Application.get_env(:live_stash, :adapters)
    Application.put_env(:live_stash, :adapters, adapters ++ [Flaky])
    Flaky.down(false)

    on_exit(fn ->
      Application.put_env(:live_stash, :adapters, adapters)
      :persistent_term.erase(Flaky)
    end)

    opts = [adapter: Flaky, stored_keys: [:count], auto_stash: true, auto_stash_interval: 60_000]
    %{view: Define.view!(LiveStash.AutoStashRetryTest.OnFlaky, opts)}
  end

  defp set_count(pid, count), do: :ok = ViewServer.update(pid, {View, :set_count, [count]})

  # A view whose auto write of `count` the store just refused.
  defp refused_view(view, count) do
    pid = start!(view, Client.fresh_params())
    fire_auto_stash(pid)
    assert_received {:stored, 0}
    Flaky.down(true)
    set_count(pid, count)
    {_, log} = with_warnings(fn -> fire_auto_stash(pid) end)
    assert_received {:refused, ^count}
    assert warned_once?(log, pid, view, ":not_running")
    pid
  end

  test "a refused write is retried once the store takes it again, with no other change", %{
    view: view
  } do
    refused_view(view, 5)
    Flaky.down(false)
    # the first retry comes after a short backoff, by itself
    assert_receive {:stored, 5}, 2_000
  end

  test "a refused write still pending when the view ends is written at terminate", %{view: view} do
    pid = refused_view(view, 6)
    Flaky.down(false)
    pid = reconnect(pid, view)
    assert %{recover_status: :recovered, count: 6} = ViewServer.assigns(pid)
  end

  test "the retries are bounded; what they could not write stays pending for terminate", %{
    view: view
  } do
    pid = refused_view(view, 7)

    # Every retry, fired at once instead of after its backoff, until none is armed.
    {_, _log} =
      with_warnings(fn ->
        Enum.reduce_while(1..50, nil, fn _, _ ->
          if auto_stash_timer(pid), do: {:cont, fire_auto_stash(pid)}, else: {:halt, nil}
        end)
      end)

    refusals = Stream.repeatedly(fn -> receive do: ({:refused, 7} -> 1), after: (0 -> nil) end)
    retries = refusals |> Enum.take_while(& &1) |> length()
    # five retries, as documented, then it waits for a change or the terminate
    assert retries == 5
    assert auto_stash_timer(pid) == nil

    Flaky.down(false)
    pid = reconnect(pid, view)
    assert %{recover_status: :recovered, count: 7} = ViewServer.assigns(pid)
  end
end
