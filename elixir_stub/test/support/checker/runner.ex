defmodule LiveStash.Test.Checker.Runner do
  @moduledoc """
  Plays one command list against the real library on a `LiveStash.Test.Checker.Cluster`
  and checks every recovery against `LiveStash.Test.Checker.Model`. Views live on the
  peers (`LiveStash.Test.ViewServer`); the browser side is `LiveStash.Test.Client`, which
  keeps what each view pushed, so a node that dies takes no pushed token with it. A
  command whose node is frozen, or whose view has no live page, is skipped (it depends
  on earlier commands, and shrinking may have removed them). The run stops at the first
  anomaly.
  """

  alias LiveStash.Test.{Client, View, ViewServer}
  alias LiveStash.Test.Checker.{Cluster, Model}

  @mount_ms 15_000

  @doc "Sets `:other` and stashes: the second stored key, changed on its own."
  def put_other(socket, value), do: socket |> set_other(value) |> LiveStash.stash()

  @doc "Sets `:other` only (an `auto_stash` view stashes it itself)."
  def set_other(socket, value), do: Phoenix.Component.assign(socket, :other, value)

  @doc """
  Runs `commands` for `profile`; returns `{result, cluster}` where result is
  `%{commands: executed, recoveries: n, anomaly: nil | %{index:, command:, text:}}`.
  """
  def run(cluster, profile, commands) do
    run = System.unique_integer([:positive])

    st = %{
      cluster: cluster,
      profile: profile,
      view: Cluster.view(profile),
      views: %{},
      model: Model.new([0, 1]),
      stall: nil,
      executed: 0,
      recoveries: 0
    }

    st = Enum.reduce([0, 1], st, &first_mount(&2, &1, run))

    {st, anomaly} =
      commands
      |> Enum.with_index()
      |> Enum.reduce_while({st, nil}, fn {command, index}, {st, nil} ->
        case step(st, command) do
          {:ok, st} -> {:cont, {st, nil}}
          {:anomaly, text, st} -> {:halt, {st, %{index: index, command: command, text: text}}}
        end
      end)

    {%{commands: st.executed, recoveries: st.recoveries, anomaly: anomaly}, finish(st)}
  end

  # With `auto_stash` the view stashes by itself; on BrowserMemory the model expects the
  # push to go out with the render that made the change (issue 21, point 8).
  defp stash_fun(%{auto: true}, :count, value), do: {View, :set_count, [value]}
  defp stash_fun(%{auto: true}, :other, value), do: {__MODULE__, :set_other, [value]}
  defp stash_fun(_profile, :count, value), do: {View, :put_count, [value]}
  defp stash_fun(_profile, :other, value), do: {__MODULE__, :put_other, [value]}

  defp first_mount(st, v, run) do
    session = %{"user" => "user#{v}-#{run}"}
    id = ViewServer.random_id()
    params = Client.fresh_params(%{}, official: st.profile.official)
    {:ok, pid} = start_view(st, v, params, id, session)

    view = %{
      pid: pid,
      slot: v,
      node: node_of(st, v),
      id: id,
      session: session,
      mounted: params,
      down_since: nil,
      written_at: now()
    }

    views = Map.put(st.views, v, view)
    refresh(%{st | views: views}, v)
  end

  defp step(st, command) do
    if runnable?(st, command) do
      st = %{st | executed: st.executed + 1}

      try do
        with {:ok, st} <- exec(st, command), do: {:ok, refresh_all(st)}
      catch
        kind, reason -> {:anomaly, "raised: " <> Exception.format_banner(kind, reason), st}
      end
    else
      {:ok, st}
    end
  end

  defp runnable?(st, command) do
    case command do
      {:stash, v, _, _} -> live?(st, v)
      {:reset, v} -> live?(st, v)
      {:away, v} -> live?(st, v)
      {:redis_stall} -> true
      {:advance, _} -> true
      {:thaw, _} -> true
      {:resume_writer, _} -> true
      # A new node could not join while another one is frozen.
      {kind, _} when kind in [:kill, :stop] -> MapSet.size(st.cluster.frozen) == 0
      _ -> not Cluster.frozen?(st.cluster, elem(command, tuple_size(command) - slot_pos(command)))
    end
  end

  # Where the slot sits, counted from the end: {:reconnect, v, slot, hint?} has it second to last.
  defp slot_pos({:reconnect, _, _, _}), do: 2
  defp slot_pos(_), do: 1

  defp live?(st, v) do
    %{pid: pid, node: node, slot: slot} = st.views[v]
    pid != nil and node == node_of(st, slot) and not Cluster.frozen?(st.cluster, slot)
  end

  defp exec(st, {:stash, v, key, value}) do
    view = st.views[v]
    fun = stash_fun(st.profile, key, value)
    :ok = ViewServer.update(view.pid, fun)
    state = Model.next_state(st.model, v, key, value)
    how = if Cluster.writer(st.profile.adapter), do: :pending, else: :completed
    model = Model.written(st.model, v, value, state, view.slot, how)
    st = %{st | model: model, views: Map.update!(st.views, v, &%{&1 | written_at: now()})}
    {:ok, refresh(st, v)}
  end

  defp exec(st, {:reconnect, v, slot, hint?}) do
    view = st.views[v]
    st = retire(st, v)
    params = if hint?, do: view.params, else: drop_hint(view.params)
    st = st |> allow_unreachable_row(v, slot, hint?) |> allow_expiry(v)

    with_mount(st, v, slot, params, view.id, view.session, fn st, result ->
      Model.recovered(st.model, v, slot, result)
    end)
  end

  defp exec(st, {:sibling, v, slot}) do
    view = st.views[v]
    foreign(st, slot, view.params, ViewServer.random_id(), view.session, "a sibling view")
  end

  defp exec(st, {:stranger, v, slot}) do
    view = st.views[v]
    foreign(st, slot, view.params, view.id, %{"user" => "stranger"}, "another session")
  end

  defp exec(st, {:navigate, v, slot}) do
    view = st.views[v]
    st = retire(st, v)
    params = Map.put(view.params, "_mounts", 0)
    view = %{view | id: ViewServer.random_id()}
    st = %{st | views: Map.put(st.views, v, view)}

    with_mount(st, v, slot, params, view.id, view.session, fn st, result ->
      with {:ok, model} <- Model.foreign(st.model, "the next page", result),
           do: {:ok, Model.started_over(model, v, false)}
    end)
  end

  defp exec(st, {:reset, v}) do
    :ok = ViewServer.update(st.views[v].pid, {LiveStash, :reset_stash, []})
    {:ok, refresh(%{st | model: Model.started_over(st.model, v)}, v)}
  end

  defp exec(st, {:away, v}) do
    st = st |> retire(v) |> down(&(&1 == v))
    Process.sleep(Cluster.ttl_ms() + 500)
    {:ok, st}
  end

  # The wall clock moves `seconds` on every node (`LiveStash.Test.Clock`), then each live
  # view's keep-alive beats once, as it would have meanwhile; a page that was not open
  # (or whose client ignores leases) may have expired.
  defp exec(st, {:advance, seconds}) do
    for node <- nodes(st), do: :ok = :erpc.call(node, LiveStash.Test.Clock, :advance, [seconds])

    st =
      Enum.reduce(Map.keys(st.views), st, fn v, st ->
        # The official client holds no lease: its token is good for the ttl only.
        if live?(st, v) and not st.profile.official do
          _ = LiveStash.Test.Flow.beat(st.views[v].pid)
          st
        else
          %{st | model: Model.may_lose(st.model, v)}
        end
      end)

    {:ok, st}
  end

  defp exec(st, {:settle, slot}) do
    case LiveStash.Test.Writers.settle_on(node_of(st, slot), 1_500) do
      :ok -> {:ok, %{st | model: Model.settled(st.model, slot)}}
      {:error, _} -> {:ok, st}
    end
  end

  defp exec(st, {:stall_writer, slot}),
    do: {:ok, down_on(%{st | cluster: Cluster.stall_writer(st.cluster, slot)}, slot)}

  defp exec(st, {:resume_writer, slot}),
    do: {:ok, %{st | cluster: Cluster.resume_writer(st.cluster, slot)}}

  defp exec(st, {:freeze, slot}),
    do: {:ok, down_on(%{st | cluster: Cluster.freeze(st.cluster, slot)}, slot)}

  defp exec(st, {:thaw, slot}), do: {:ok, %{st | cluster: Cluster.thaw(st.cluster, slot)}}
  defp exec(st, {:kill, slot}), do: {:ok, lose_node(await_stall(st), slot, &Cluster.kill!/2)}
  defp exec(st, {:stop, slot}), do: {:ok, lose_node(await_stall(st), slot, &Cluster.stop!/2)}

  defp exec(st, {:redis_stall}),
    do: {:ok, %{st | stall: Cluster.redis_stall(await_stall(st).cluster, 1)}}

  defp foreign(st, slot, params, id, session, who) do
    st = %{st | recoveries: st.recoveries + 1}

    case mount(st, slot, params, id, session) do
      {:ok, pid, result} ->
        stop_view(pid)
        checked(Model.foreign(st.model, who, result), st)

      {:error, text} ->
        {:anomaly, text, st}
    end
  end

  defp checked({:ok, model}, st), do: {:ok, %{st | model: model}}
  defp checked({:anomaly, text}, st), do: {:anomaly, text, st}

  defp with_mount(st, v, slot, params, id, session, check) do
    st = %{st | recoveries: st.recoveries + 1}

    case mount(st, slot, params, id, session) do
      {:ok, pid, result} ->
        view = %{
          st.views[v]
          | pid: pid,
            slot: slot,
            node: node_of(st, slot),
            mounted: params,
            down_since: nil
        }

        st = %{st | views: Map.put(st.views, v, view)}

        with {:ok, st} <- checked(check.(st, result), st), do: {:ok, refresh(st, v)}

      {:error, text} ->
        {:anomaly, text, st}
    end
  end

  defp mount(st, slot, params, id, session) do
    case start_view(st, slot, params, id, session) do
      {:ok, pid} ->
        %{recover_status: status, count: count, other: other} = ViewServer.assigns(pid)
        {:ok, pid, result(status, {count, other})}

      {:error, reason} ->
        {:error, "the mount crashed: #{inspect(reason, limit: 8)}"}
    end
  end

  # The defaults a view mounts with are its first state: `auto_stash` stashes them too.
  defp result(:recovered, {0, nil}), do: {:nothing, :recovered_defaults}
  defp result(:recovered, state), do: {:recovered, state}
  defp result(status, _state), do: {:nothing, status}

  defp start_view(st, slot, params, id, session) do
    opts = [params: params, id: id, session: session]
    :erpc.call(node_of(st, slot), ViewServer, :start, [st.view, opts], @mount_ms)
  end

  # An ETS row on a frozen node cannot be reached within the lookup's timeout. Without a
  # hint only the local table is certain: the search elsewhere is a bounded fallback
  # (issue 21, point 6).
  defp allow_unreachable_row(st, v, slot, hint?) do
    row_slot = st.model.views[v].row_slot

    unreachable? =
      row_slot != nil and
        (Cluster.frozen?(st.cluster, row_slot) or (not hint? and row_slot != slot))

    if st.profile.adapter == :ets and unreachable?,
      do: %{st | model: Model.may_lose(st.model, v)},
      else: st
  end

  # A stash is kept alive by its view's keep-alive; once nothing refreshed it for half the
  # ttl (the page gone, its node frozen or dead, its writer held), it may have expired.
  # The official client ignores leases: its token is good for the ttl from its last write.
  defp allow_expiry(st, v) do
    %{down_since: since, written_at: written_at} = st.views[v]
    half = div(Cluster.ttl_ms(), 2)

    if (since != nil and now() - since > half) or
         (st.profile.official and now() - written_at > half),
       do: %{st | model: Model.may_lose(st.model, v)},
       else: st
  end

  defp down_on(st, slot), do: down(st, fn v -> st.views[v].slot == slot end)

  defp down(st, which) do
    views =
      Map.new(st.views, fn {v, view} ->
        {v, if(which.(v) and view.down_since == nil, do: %{view | down_since: now()}, else: view)}
      end)

    %{st | views: views}
  end

  defp lose_node(st, slot, fun) do
    st = down_on(st, slot)
    cluster = fun.(st.cluster, slot)
    model = Model.node_lost(st.model, slot, st.profile.adapter == :ets)

    views =
      Map.new(st.views, fn {v, view} ->
        {v, if(view.slot == slot, do: %{view | pid: nil}, else: view)}
      end)

    %{st | cluster: cluster, model: model, views: views}
  end

  defp refresh_all(st),
    do:
      Enum.reduce(Map.keys(st.views), st, fn v, st ->
        if live?(st, v), do: refresh(st, v), else: st
      end)

  defp now, do: System.monotonic_time(:millisecond)

  # What the browser holds for the view: the params it mounted with, updated by every push since.
  defp refresh(st, v) do
    view = st.views[v]
    events = ViewServer.events(view.pid)
    params = Client.join_params(events, held: view.mounted, official: st.profile.official)
    %{st | views: Map.put(st.views, v, Map.put(view, :params, params))}
  end

  defp drop_hint(%{"liveStash" => %{} = entry} = params),
    do: %{params | "liveStash" => Map.delete(entry, "node")}

  defp drop_hint(params), do: params

  # The browser drops the socket; a page on a frozen node is let go in the background.
  defp retire(st, v) do
    view = st.views[v]

    cond do
      view.pid == nil or view.node != node_of(st, view.slot) -> :ok
      Cluster.frozen?(st.cluster, view.slot) -> spawn(fn -> stop_view(view.pid) end)
      true -> stop_view(view.pid)
    end

    %{st | views: Map.put(st.views, v, %{view | pid: nil})}
  end

  defp stop_view(pid) do
    ViewServer.stop(pid)
  catch
    :exit, _ -> :ok
  end

  defp node_of(st, slot), do: Cluster.node(st.cluster, slot)

  defp await_stall(%{stall: nil} = st), do: st

  defp await_stall(st) do
    Task.await(st.stall, 10_000)
    %{st | stall: nil}
  end

  defp nodes(st), do: [node() | Enum.map(Map.keys(st.cluster.slots), &node_of(st, &1))]

  defp finish(st) do
    st = await_stall(st)
    for node <- nodes(st), do: :ok = :erpc.call(node, LiveStash.Test.Clock, :reset, [])
    cluster = Cluster.clear_faults(st.cluster)
    st = %{st | cluster: cluster}
    Enum.each(Map.keys(st.views), &retire(st, &1))
    cluster
  end
end
