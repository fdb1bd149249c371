defmodule LiveStash.Test.Checker.Cluster do
  @moduledoc """
  The real nodes one checker session runs on: two `:peer` nodes (slots 0 and 1) running
  live_stash, the checker's views compiled on each, and for Redis a real `redis-server`
  with the adapter active (peers copy this node's app env). The faults: kill -9 and a
  graceful `init:stop` (the slot then gets a fresh node), SIGSTOP/SIGCONT, a writer held
  suspended, and Redis's `DEBUG SLEEP`.
  """

  alias LiveStash.Test.{Define, Peers, RedisServer}

  # A short ttl, so that `{:away, v}` (the tab gone for longer than the ttl) costs seconds.
  @ttl 4
  @stored [stored_keys: [:count, :other], session_key: "user", ttl: @ttl]

  def ttl_ms, do: @ttl * 1000

  defstruct adapter: nil, slots: %{}, redis: nil, restore: nil, frozen: MapSet.new(), holders: %{}

  @doc "The view module a profile mounts."
  def view(%{adapter: :ets}), do: LiveStash.Test.Checker.EtsView
  def view(%{adapter: :browser, mode: :sign, auto: false}), do: LiveStash.Test.Checker.SignedView

  def view(%{adapter: :browser, mode: :encrypt, auto: false}),
    do: LiveStash.Test.Checker.EncryptedView

  def view(%{adapter: :browser, mode: :sign, auto: true}),
    do: LiveStash.Test.Checker.SignedAutoView

  def view(%{adapter: :browser, mode: :encrypt, auto: true}),
    do: LiveStash.Test.Checker.EncryptedAutoView

  def view(%{adapter: :redis}), do: LiveStash.Test.Checker.RedisView
  def view(%{adapter: :mnesia}), do: LiveStash.Test.Checker.MnesiaView

  defp views(:ets), do: [{view(%{adapter: :ets}), @stored}]

  defp views(:browser) do
    for mode <- [:sign, :encrypt], auto <- [false, true] do
      opts = [adapter: LiveStash.Adapters.BrowserMemory, security_mode: mode, auto_stash: auto]
      {view(%{adapter: :browser, mode: mode, auto: auto}), opts ++ @stored}
    end
  end

  defp views(:redis),
    do: [{view(%{adapter: :redis}), [adapter: LiveStash.Adapters.Redis] ++ @stored}]

  defp views(:mnesia),
    do: [{view(%{adapter: :mnesia}), [adapter: LiveStash.Adapters.Mnesia] ++ @stored}]

  @doc "The writer a slot's node hands its writes to, or nil (ETS, BrowserMemory)."
  def writer(:redis), do: LiveStash.Adapters.Redis.Writer
  def writer(:mnesia), do: LiveStash.Adapters.Mnesia.Writer
  def writer(_), do: nil

  def start!(adapter) do
    cluster = %__MODULE__{adapter: adapter}
    cluster = if adapter == :redis, do: start_redis!(cluster), else: cluster
    cluster = start_slot!(cluster, 0)
    start_slot!(cluster, 1)
  end

  defp start_redis!(cluster) do
    {:ok, redis} = RedisServer.start_link()
    restore = RedisServer.activate!(redis)
    LiveStash.Test.RedisCase.wait_connected!()
    %{cluster | redis: redis, restore: restore}
  end

  def stop(cluster) do
    cluster = clear_faults(cluster)
    Enum.each(cluster.slots, fn {_, %{peer: peer}} -> Peers.stop(peer) end)

    if cluster.redis do
      cluster.restore.()
      GenServer.stop(cluster.redis)
    end

    :ok
  end

  def node(cluster, slot), do: cluster.slots[slot].node
  def frozen?(cluster, slot), do: MapSet.member?(cluster.frozen, slot)

  defp start_slot!(cluster, slot) do
    others = for {s, %{node: node}} <- cluster.slots, s != slot, do: node
    {peer, node} = Peers.start!(others)
    :ok = :erpc.call(node, Logger, :configure, [[level: :error]])

    for {module, opts} <- views(cluster.adapter),
        do: :erpc.call(node, Define, :view!, [module, opts])

    os_pid = :erpc.call(node, System, :pid, [])
    %{cluster | slots: Map.put(cluster.slots, slot, %{peer: peer, node: node, os_pid: os_pid})}
  end

  @doc "kill -9 of the slot's node (its views and pending writes die with it); a new node takes the slot."
  def kill!(cluster, slot) do
    %{node: node, os_pid: os_pid, peer: peer} = cluster.slots[slot]
    true = Node.monitor(node, true)
    {_, 0} = System.cmd("kill", ["-9", os_pid])
    await_down(node)
    Peers.stop(peer)

    cluster = %{
      cluster
      | frozen: MapSet.delete(cluster.frozen, slot),
        holders: Map.delete(cluster.holders, slot)
    }

    start_slot!(cluster, slot)
  end

  @doc "A graceful shutdown of the slot's node (`init:stop`, the writers flush); a new node takes the slot."
  def stop!(cluster, slot) do
    %{node: node, peer: peer} = cluster.slots[slot]
    cluster = resume_writer(cluster, slot)
    true = Node.monitor(node, true)
    :ok = :erpc.cast(node, :init, :stop, [])
    await_down(node)
    Peers.stop(peer)
    start_slot!(cluster, slot)
  end

  defp await_down(node) do
    receive do
      {:nodedown, ^node} -> :ok
    after
      20_000 -> raise "#{node} did not go down"
    end
  end

  def freeze(cluster, slot) do
    {_, 0} = System.cmd("kill", ["-STOP", cluster.slots[slot].os_pid])
    %{cluster | frozen: MapSet.put(cluster.frozen, slot)}
  end

  def thaw(cluster, slot) do
    if frozen?(cluster, slot),
      do: {_, 0} = System.cmd("kill", ["-CONT", cluster.slots[slot].os_pid])

    %{cluster | frozen: MapSet.delete(cluster.frozen, slot)}
  end

  @doc "Holds the slot's writer suspended (it takes writes, lands none) until `resume_writer/2`."
  def stall_writer(cluster, slot) do
    writer = writer(cluster.adapter)

    if writer && not Map.has_key?(cluster.holders, slot) do
      holder = Node.spawn(node(cluster, slot), __MODULE__, :hold, [writer, self()])

      receive do
        {:held, ^holder} -> %{cluster | holders: Map.put(cluster.holders, slot, holder)}
      after
        5_000 -> cluster
      end
    else
      cluster
    end
  end

  def resume_writer(cluster, slot) do
    case Map.pop(cluster.holders, slot) do
      {nil, _} ->
        cluster

      {holder, holders} ->
        send(holder, :release)
        %{cluster | holders: holders}
    end
  end

  @doc false
  # Runs on the peer: a suspension lasts as long as the process that made it.
  def hold(writer, caller) do
    pid = Process.whereis(writer)
    true = :erlang.suspend_process(pid)
    send(caller, {:held, self()})

    receive do
      :release -> :erlang.resume_process(pid)
    end
  end

  @doc "Redis answers nothing for `seconds` (DEBUG SLEEP); returns the task to await."
  def redis_stall(cluster, seconds), do: RedisServer.stall!(cluster.redis, seconds)

  @doc "Thaws every node and resumes every writer, so the next run starts clean."
  def clear_faults(cluster) do
    cluster = Enum.reduce(cluster.frozen, cluster, &thaw(&2, &1))
    Enum.reduce(Map.keys(cluster.holders), cluster, &resume_writer(&2, &1))
  end
end
