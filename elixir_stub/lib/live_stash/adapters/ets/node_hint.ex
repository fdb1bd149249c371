defmodule LiveStash.Adapters.ETS.NodeHint do
  @moduledoc false
  # The node name sent to the browser, encrypted: it tells a reconnect that lands on
  # another node where to look, without showing the cluster layout to the client.
  #
  # The hint names the node the view was last mounted on, which is the only node that
  # writes its stash: it names the last writer.

  @salt "live_stash node hint"

  @typedoc """
  What a hint says about where the newest row is:

    * `:here` - this node wrote last
    * `{:remote, node}` - a connected node wrote last
    * `:gone` - an authentic hint naming a node we are not connected to: the newest row
      went with it, and any copy elsewhere could only be older
    * `:unknown` - no hint, or one we cannot read (tampered, other key): it says nothing
  """
  @type t :: :here | {:remote, node()} | :gone | :unknown

  @doc "The hint for this node, encrypted with the endpoint's secret."
  @spec encode(module()) :: binary()
  def encode(endpoint) do
    Phoenix.Token.encrypt(endpoint, @salt, Atom.to_string(node()), max_age: :infinity)
  end

  @doc "Reads a hint the client sent back; anything unreadable is `:unknown`, never an error."
  @spec decode(module(), binary() | nil) :: t()
  def decode(_endpoint, nil), do: :unknown

  def decode(endpoint, hint) when is_binary(hint) do
    case Phoenix.Token.decrypt(endpoint, @salt, hint, max_age: :infinity) do
      {:ok, name} when is_binary(name) -> locate(name)
      _ -> :unknown
    end
  end

  def decode(_endpoint, _hint), do: :unknown

  defp locate(name) do
    case existing_atom(name) do
      {:ok, node} when node == node() -> :here
      {:ok, node} -> if node in Node.list(), do: {:remote, node}, else: :gone
      # Decrypted, so we wrote it; a node we have never seen cannot be reached either.
      :error -> :gone
    end
  end

  # A node we are connected to already has its name interned; never mint atoms from input.
  defp existing_atom(name) do
    {:ok, String.to_existing_atom(name)}
  rescue
    ArgumentError -> :error
  end
end
