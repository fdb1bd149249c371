defmodule LiveStash.Adapters.BrowserMemory.Manifest do
  @moduledoc """
  The signed (or encrypted) index of a keyed browser stash: everything a
  `LiveStash.Record` carries except the values (record format, view module, view id,
  version, session binding), the stash's generation, when it was sealed, and per key
  name the digest (`LiveStash.Lease.digest/1`) of that key's token and when that token
  was sealed.

  Its format number is the record format (`LiveStash.Record`), whose readable formats
  it follows: a manifest of the format before this release's still recovers.

  The digests bind the keys to this manifest: a recovery assembles only keys whose
  tokens are exactly the ones it names, so no state is ever put together from two
  stashes. The seal times let a recovered view re-seal a key before its bound.
  """

  alias LiveStash.Record
  alias LiveStash.Record.NonExecutable

  @tag :live_stash_manifest

  @enforce_keys [:format, :view, :view_id, :version, :session, :generation, :issued_at, :keys]
  defstruct @enforce_keys

  @type t :: %__MODULE__{
          format: pos_integer(),
          view: module(),
          view_id: binary(),
          version: term(),
          session: binary() | nil,
          generation: non_neg_integer(),
          issued_at: integer(),
          keys: %{binary() => {digest :: binary(), issued_at :: integer()}}
        }

  @doc "Serialises a manifest for its token."
  @spec encode(t()) :: binary()
  def encode(%__MODULE__{} = m) do
    keys = for {name, {digest, at}} <- m.keys, do: {name, digest, at}

    :erlang.term_to_binary(
      {@tag, m.format, m.view, m.view_id, m.version, m.session, m.generation, m.issued_at, keys}
    )
  end

  @doc """
  Decodes an AUTHENTICATED binary (see `LiveStash.Record`): anything but a manifest of
  this layout, or a term holding a function, is `{:error, :malformed}`.
  """
  @spec decode(binary()) :: {:ok, t()} | {:error, :malformed}
  def decode(binary) do
    term = :erlang.binary_to_term(binary)

    with true <- NonExecutable.term?(term),
         {@tag, format, view, view_id, version, session, generation, issued_at, keys}
         when is_atom(view) and is_integer(generation) and is_integer(issued_at) and
                is_list(keys) <- term,
         {:ok, keys} <- keys(keys) do
      {:ok,
       %__MODULE__{
         format: format,
         view: view,
         view_id: view_id,
         version: version,
         session: session,
         generation: generation,
         issued_at: issued_at,
         keys: keys
       }}
    else
      _ -> {:error, :malformed}
    end
  rescue
    ArgumentError -> {:error, :malformed}
  end

  @doc """
  The record the manifest describes, holding `assigns` and `components`, so that
  `LiveStash.Record.check/2` judges it exactly as it judges a whole token.
  """
  @spec record(t(), map(), map()) :: Record.t()
  def record(%__MODULE__{} = m, assigns, components) do
    %Record{
      format: m.format,
      view: m.view,
      view_id: m.view_id,
      version: m.version,
      session: m.session,
      assigns: assigns,
      components: components
    }
  end

  defp keys(list) do
    Enum.reduce_while(list, {:ok, %{}}, fn
      {name, digest, at}, {:ok, acc}
      when is_binary(name) and is_binary(digest) and is_integer(at) ->
        {:cont, {:ok, Map.put(acc, name, {digest, at})}}

      _other, _acc ->
        {:halt, :error}
    end)
  end
end
