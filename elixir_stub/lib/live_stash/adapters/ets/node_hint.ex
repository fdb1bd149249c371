defmodule LiveStash.Adapters.ETS.NodeHint do
  @moduledoc """
  The node name sent to the browser, encrypted: it tells a reconnect that lands on
  another node where to look, without showing the cluster layout to the client.
  """

  @salt "live_stash node hint"

  @spec encode(module()) :: binary()
  def encode(endpoint) do
    Phoenix.Token.encrypt(endpoint, @salt, Atom.to_string(node()), max_age: :infinity)
  end

  @doc "Returns the hinted node if it is a node we are connected to, else nil."
  @spec decode(module(), binary() | nil) :: node() | nil
  def decode(_endpoint, nil), do: nil

  def decode(endpoint, hint) when is_binary(hint) do
    with {:ok, name} when is_binary(name) <-
           Phoenix.Token.decrypt(endpoint, @salt, hint, max_age: :infinity),
         {:ok, node} <- existing_atom(name),
         true <- node in Node.list() do
      node
    else
      _ -> nil
    end
  end

  # A node we are connected to already has its name interned; never mint atoms from input.
  defp existing_atom(name) do
    {:ok, String.to_existing_atom(name)}
  rescue
    ArgumentError -> :error
  end
end
