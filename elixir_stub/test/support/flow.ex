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

  @doc "A freshly mounted view whose count was set, and so stashed."
  def stashed_view(view, count, opts \\ []) do
    pid = start!(view, Client.fresh_params(), opts)
    :ok = ViewServer.update(pid, {View, :put_count, [count]})
    pid
  end

  @doc "Drops `pid` and mounts `view` again, as the client rejoins after a lost socket."
  def reconnect(pid, view, opts \\ []) do
    held = ViewServer.params(pid)
    params = Client.join_params(ViewServer.events(pid), [held: held] ++ opts)
    ViewServer.stop(pid)
    start!(view, params, Keyword.take(opts, [:session, :id]))
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
