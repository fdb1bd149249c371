defmodule LiveStash.Secret do
  @moduledoc """
  Derives the per-view secret that salts tokens and the server adapters' keys.

  With `:session_key`, the secret folds in a hash of that session value, so a stash
  written for one user's session cannot be read from another's.
  """

  @doc "Returns the salt for this mount, raising when the configured session key is absent."
  @spec derive(LiveStash.Options.t(), map()) :: binary()
  def derive(%LiveStash.Options{secret: secret, session_key: nil}, _session), do: secret

  def derive(%LiveStash.Options{secret: secret, session_key: key}, session) do
    case fetch_session(session, key) do
      {:ok, value} ->
        digest = :crypto.hash(:sha256, :erlang.term_to_binary(value, [:deterministic]))
        secret <> ":" <> Base.url_encode64(digest, padding: false)

      :error ->
        raise ArgumentError,
              "LiveStash was told to bind stashes to session key #{inspect(key)}, " <>
                "but the session has no such key. Put it in the session (e.g. in your " <>
                "login plug) or drop the :session_key option."
    end
  end

  # LiveView sessions have string keys; accept the atom spelling too.
  defp fetch_session(session, key) when is_map(session) do
    case Map.fetch(session, to_string(key)) do
      {:ok, value} when not is_nil(value) -> {:ok, value}
      _ when is_atom(key) -> fetch_present(session, key)
      _ -> :error
    end
  end

  defp fetch_session(_session, _key), do: :error

  defp fetch_present(session, key) do
    case Map.fetch(session, key) do
      {:ok, value} when not is_nil(value) -> {:ok, value}
      _ -> :error
    end
  end
end
