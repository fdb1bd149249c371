defmodule LiveStash.Test.Flow do
  @moduledoc """
  The page life a stash test walks through: mount a view, change it, drop the socket and
  mount it again with the join params the browser client would send.
  """

  alias LiveStash.Test.{Client, View, ViewServer}

  @doc "Mounts `view` in its own process with the given connect params."
  def start!(view, params, opts \\ []) do
    {:ok, pid} = ViewServer.start(view, [params: params] ++ opts)
    pid
  end

  @doc """
  A freshly mounted view whose count was set, and so stashed; `official: true` joins as
  the official client (whole tokens).
  """
  def stashed_view(view, count, opts \\ []) do
    {official, opts} = Keyword.pop(opts, :official, false)
    pid = start!(view, Client.fresh_params(%{}, official: official), opts)
    :ok = ViewServer.update(pid, {View, :put_count, [count]})
    pid
  end

  @doc """
  Drops `pid` and mounts `view` again, as the client rejoins after a lost socket: as the
  same view (the same `socket.id`), unless `mounts: 0` plays a new page load, where a
  root view is rendered anew with a new id (a nested view keeps its `live_render` id).
  `:id` or `:live_render` give another identity.
  """
  def reconnect(pid, view, opts \\ []) do
    held = ViewServer.params(pid)
    identity = rejoin_as(ViewServer.identity(pid), opts)
    params = Client.join_params(ViewServer.events(pid), [held: held] ++ opts)
    ViewServer.stop(pid)
    start!(view, params, identity ++ Keyword.take(opts, [:session]))
  end

  @doc """
  Drops `pid` and mounts `view` again as the same view (the same `socket.id`), with the
  join `params` given: what a client hands back that the view's own events would not.
  """
  def rejoin(pid, view, params, opts \\ []) do
    identity = ViewServer.identity(pid)
    ViewServer.stop(pid)
    start!(view, params, identity ++ opts)
  end

  @doc """
  What the official client hands every view of a page on its next join: it keeps ONE
  stash per page, which each pushed event replaces whichever view pushed it (it reads no
  `view` key, and ignores leases). `pids` in the order their events reached the page;
  `held`, the page's params before them.
  """
  def official_page(pids, held \\ nil) do
    events = Enum.flat_map(pids, &ViewServer.events/1)
    Client.join_params(events, held: held, official: true)
  end

  @doc """
  Two nested views of `view` on one page (`live_render` ids "a" and "b"), which stashed
  `count_a` and `count_b`, in that order (`opts` as `stashed_view/3`'s).
  """
  def nested_pair(view, count_a, count_b, opts \\ []),
    do:
      {stashed_view(view, count_a, [live_render: [id: "a"]] ++ opts),
       stashed_view(view, count_b, [live_render: [id: "b"]] ++ opts)}

  @doc """
  Rejoins each of `pids`, in order, as `view` with the same join `params` (what the
  official client does with every view of a page); returns the new pids and the log.
  """
  def rejoin_all(pids, view, params),
    do: with_warnings(fn -> Enum.map(pids, &rejoin(&1, view, params)) end)

  @doc """
  Runs `fun`; returns its result and the warnings logged meanwhile by any process, each
  line naming the pid that logged it (async tests log at the same time).
  """
  def with_warnings(fun),
    do: ExUnit.CaptureLog.with_log([level: :warning, metadata: [:pid]], fun)

  @doc """
  Whether the view process `pid` logged exactly one warning in `log` (from
  `with_warnings/1`), and that it names `view` and contains `text`.
  """
  def warned_once?(log, pid, view, text) do
    mark = "pid=#{:erlang.pid_to_list(pid)} "

    case for line <- String.split(log, "\n"), line =~ mark and line =~ "[warning]", do: line do
      [line] -> line =~ inspect(view) and line =~ text
      _ -> false
    end
  end

  @doc """
  Reconnects each `{pid, count}` twice with our client's own params, asserting each
  view recovers its own count every time.
  """
  def each_recovers_its_own(view, pids_counts) do
    Enum.reduce(1..2, pids_counts, fn _, pids_counts ->
      for {pid, count} <- pids_counts do
        pid = reconnect(pid, view)
        %{recover_status: :recovered, count: ^count} = ViewServer.assigns(pid)
        {pid, count}
      end
    end)
  end

  defp rejoin_as(identity, opts) do
    cond do
      given = Keyword.take(opts, [:id, :live_render]) |> Enum.take(1) |> Enum.at(0) -> [given]
      opts[:mounts] == 0 and Keyword.has_key?(identity, :id) -> []
      true -> identity
    end
  end

  @doc """
  Runs one keep-alive beat now, the way the view's timer would, so a test need not wait
  for it; returns every event pushed so far.
  """
  def beat(pid) do
    send(pid, {LiveStash.KeepAlive, ViewServer.socket(pid).private.live_stash.keep_alive_ref})
    ViewServer.events(pid)
  end

  @doc """
  The ref of the view's armed `auto_stash` timer (see `LiveStash.AutoStash`), or nil.
  Read from the view process, since a component can arm it too.
  """
  def auto_stash_timer(pid) do
    {:dictionary, entries} = Process.info(pid, :dictionary)

    Enum.find_value(entries, fn
      {{LiveStash.AutoStash, _id}, %{timer: ref}} -> ref
      _ -> nil
    end)
  end

  @doc """
  Fires `auto_stash`'s timer message with `ref` (by default the armed one) now, the way
  the timer would after the interval, so a test need not wait for it; returns every
  event pushed so far.
  """
  def fire_auto_stash(pid, ref \\ nil) do
    ref = ref || auto_stash_timer(pid) || raise("no auto_stash timer is armed")
    send(pid, {LiveStash.AutoStash, ref})
    ViewServer.events(pid)
  end

  @doc "Polls `fun` every 20 ms until it is truthy, for effects done in the background."
  def eventually(fun, tries \\ 250) do
    cond do
      fun.() -> true
      tries > 0 -> Process.sleep(20) && eventually(fun, tries - 1)
      true -> false
    end
  end
end
