defmodule LiveStash.Test.Peers do
  @moduledoc """
  Real BEAM nodes for the cluster tests, started with `:peer` on loopback. Each runs
  this build's code and the live_stash app with this node's config (plus overrides).
  Needs `epmd` (started here if it is not running); if distribution cannot start, the
  suite fails rather than skipping.
  """

  # Tests stop peers on purpose; since OTP 25 `global` answers each stop with a warning
  # and a disconnect "to prevent overlapping partitions". Only the test nodes turn it off.
  @quiet_global [~c"-kernel", ~c"prevent_overlapping_partitions", ~c"false"]

  @doc "Makes this node distributed (a no-op once it is)."
  def ensure_distributed! do
    unless Node.alive?() do
      # `epmd -daemon` is a no-op when epmd already runs.
      {_, 0} = System.cmd("epmd", ["-daemon"])
      start_distribution(5)
    end

    :ok
  end

  # A freshly forked epmd may not listen yet: retry a few times before failing.
  defp start_distribution(tries) do
    case Node.start(unique_name("live_stash_test"), :longnames) do
      {:ok, _} ->
        :ok

      {:error, _} when tries > 1 ->
        Process.sleep(200)
        start_distribution(tries - 1)

      {:error, reason} ->
        raise "cannot start distribution (is epmd available?): #{inspect(reason)}"
    end
  end

  @doc """
  A node name no other test run on this machine uses at the same time (they share
  epmd), so it carries this OS process's id.
  """
  def unique_name(prefix, host \\ "@127.0.0.1") do
    :"#{prefix}_#{System.pid()}_#{System.unique_integer([:positive])}#{host}"
  end

  @doc """
  Starts a peer running live_stash, then connects it to `others` (as a cluster formed
  after boot, e.g. by libcluster, would). Returns `{peer, node}`.
  """
  def start!(others \\ [], env \\ []) do
    ensure_distributed!()

    # not start_link: a test's setup process exits early, and would take the peer along
    {:ok, peer, node} =
      :peer.start(%{
        name: unique_name("live_stash_peer", ""),
        host: ~c"127.0.0.1",
        longnames: true,
        args: args()
      })

    true = :erpc.call(node, :code, :set_path, [:code.get_path()])
    app_env = Keyword.merge(Application.get_all_env(:live_stash), env)
    :ok = :erpc.call(node, Application, :put_all_env, [[live_stash: app_env]])
    {:ok, _} = :erpc.call(node, Application, :ensure_all_started, [:live_stash])
    Enum.each(others, fn other -> true = :erpc.call(node, Node, :connect, [other]) end)
    {peer, node}
  end

  @doc """
  Starts a peer running live_stash that is NOT connected to this node: it is driven
  over `:peer`'s own channel (`:peer.call/4`). With `name: nil` it is not distributed
  at all (`nonode@nohost`). Returns `{peer, node}`.
  """
  def start_isolated!(name) do
    opts = %{connection: 0, args: args()}

    opts =
      if name,
        do: Map.merge(opts, %{name: name, host: ~c"127.0.0.1", longnames: true}),
        else: opts

    {:ok, peer, node} = :peer.start(opts)
    true = :peer.call(peer, :code, :set_path, [:code.get_path()])
    env = [live_stash: Application.get_all_env(:live_stash)]
    :ok = :peer.call(peer, Application, :put_all_env, [env])
    {:ok, _} = :peer.call(peer, Application, :ensure_all_started, [:live_stash])
    {peer, node}
  end

  defp args, do: [~c"-setcookie", Atom.to_charlist(Node.get_cookie())] ++ @quiet_global

  @doc """
  A `:logger` primary filter for this node, which booted with `global`'s default: drops
  the warning it logs when a test stops a peer on purpose ("... to prevent overlapping
  partitions"), and nothing else.
  """
  def drop_partition_warning(%{msg: {format, _args}}, _extra)
      when is_list(format) or is_binary(format) do
    if to_string(format) =~ "prevent overlapping partitions", do: :stop, else: :ignore
  end

  def drop_partition_warning(_event, _extra), do: :ignore

  @doc "Stops a peer, as a node going down in a rolling restart."
  def stop(peer) do
    :peer.stop(peer)
  catch
    :exit, _ -> :ok
  end
end
