defmodule LiveStash.Test.PeerNode do
  @moduledoc """
  Starts a real BEAM node with `:peer`, running this suite's code and :live_stash with
  the given app env. Distribution is started here if needed (with `epmd -daemon`); if it
  cannot start, the calling test fails rather than being skipped.
  """

  import ExUnit.Assertions, only: [flunk: 1]

  @doc "Returns `{peer, node}`; stop it with `:peer.stop(peer)`."
  def start!(env \\ Application.get_all_env(:live_stash)) do
    ensure_distributed!()

    # not start_link: a setup_all process exits once setup is done, and would take the peer along
    {:ok, peer, node} =
      :peer.start(%{
        name: :"live_stash_peer_#{System.unique_integer([:positive])}",
        host: ~c"127.0.0.1",
        longnames: true,
        args: [~c"-setcookie", Atom.to_charlist(Node.get_cookie())]
      })

    true = :erpc.call(node, :code, :set_path, [:code.get_path()])
    :ok = :erpc.call(node, Application, :put_all_env, [[live_stash: env]])
    {:ok, _} = :erpc.call(node, Application, :ensure_all_started, [:live_stash])
    {peer, node}
  end

  defp ensure_distributed! do
    unless Node.alive?() do
      # `epmd -daemon` is a no-op when epmd already runs.
      {_, 0} = System.cmd("epmd", ["-daemon"])
      name = :"live_stash_test_#{System.unique_integer([:positive])}@127.0.0.1"

      case Node.start(name, :longnames) do
        {:ok, _} ->
          :ok

        {:error, reason} ->
          flunk("cannot start distribution (is epmd available?): #{inspect(reason)}")
      end
    end
  end
end
