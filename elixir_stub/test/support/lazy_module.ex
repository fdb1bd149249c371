defmodule LiveStash.Test.LazyModule do
  @moduledoc """
  A module that exists on disk but that this node has never loaded, with atoms nobody
  here has created: what a node restarted in dev sees of a module no code has called
  yet. It is compiled on a peer (so its atoms come into being there only) and written to
  a directory the restarted node may put on its code path without loading anything.

  The functions below run on the peer. They hand back only binaries, never a term
  holding one of the module's atoms, which would create it on the calling node.
  """

  alias LiveStash.Test.{Client, View, ViewServer, Writers}

  @doc """
  Compiles `name` (e.g. "LiveStash.Lazy42"): a struct with a `:status`, and `value/0`,
  its struct holding the atom `status`. Writes the beam into `dir`.
  """
  def compile(name, status, dir) do
    source = """
    defmodule #{name} do
      defstruct [:status]
      def value, do: %__MODULE__{status: :#{status}}
    end
    """

    [{module, beam}] = Code.compile_string(source)
    File.write!(Path.join(dir, Atom.to_string(module) <> ".beam"), beam)
  end

  @doc """
  Mounts `view` fresh as the page with DOM id `id`, stashes `name.value()` as its
  count, and returns the join params the browser then holds.
  """
  def stash_value(view, id, name) do
    value = Module.safe_concat([name]).value()
    {:ok, pid} = ViewServer.start(view, params: Client.fresh_params(), id: id)
    :ok = ViewServer.update(pid, {View, :put_count, [value]})
    params = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)
    # The caller stops this node as kill -9 would (`:peer.stop/1` halts it): a write still
    # pending in a server adapter's writer would be lost with it, a window the test is not about.
    :ok = Writers.settle()
    params
  end
end
