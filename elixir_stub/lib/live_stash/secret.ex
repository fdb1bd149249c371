defmodule LiveStash.Secret do
  @moduledoc """
  What binds a stash to a user's session, without a salt per session.

  Salts stay fixed per configuration (the `:secret` option for stash tokens, it plus
  "/lease" for leases and "/session" for the binding's key, a constant for ETS node
  hints): Plug.Crypto caches one derived key per salt in its `Plug.Crypto.Keys` table and
  never frees it, so a salt per session would grow that table by one entry per distinct
  session, forever.

  With `:session_key`, the binding is an HMAC-SHA256 of that session value, keyed with a
  key derived from the endpoint's `secret_key_base` (`Plug.Crypto.KeyGenerator`, as
  `Phoenix.Token` derives its keys, under the fixed salt `:secret` plus "/session"): a
  signed token is readable in the browser, and a plain hash of a value with few
  possibilities (a user id) would give the value away. It travels inside the signed or
  encrypted payload (the record and the lease) and is compared on recovery; the server
  adapters also fold it into their row keys (`scope/2`), which are plain hashes, not
  token salts, so nothing is cached for them.
  """

  @doc """
  The session binding for this mount: nil without `:session_key`, else a MAC of the
  session value under `endpoint`'s secret. Raises when the configured session key is
  absent.
  """
  @spec binding(LiveStash.Options.t(), map(), module()) :: binary() | nil
  def binding(%LiveStash.Options{session_key: nil}, _session, _endpoint), do: nil

  def binding(%LiveStash.Options{session_key: key, secret: salt}, session, endpoint) do
    case fetch_session(session, key) do
      {:ok, value} ->
        :crypto.mac(
          :hmac,
          :sha256,
          mac_key(endpoint, salt),
          :erlang.term_to_binary(value, [:deterministic])
        )

      :error ->
        raise ArgumentError,
              "LiveStash was told to bind stashes to session key #{inspect(key)}, " <>
                "but the session has no such key. Put it in the session (e.g. in your " <>
                "login plug) or drop the :session_key option."
    end
  end

  @doc """
  The binding 0.1.0 wrote (a plain SHA-256 of the session value), nil without
  `:session_key` or that session value. Stashes written before the upgrade carry it, so
  recovery accepts it for one release and writes them back under `binding/3`'s; it is
  never written.
  """
  @spec legacy_binding(LiveStash.Options.t(), map()) :: binary() | nil
  def legacy_binding(%LiveStash.Options{session_key: nil}, _session), do: nil

  def legacy_binding(%LiveStash.Options{session_key: key}, session) do
    case fetch_session(session, key) do
      {:ok, value} -> :crypto.hash(:sha256, :erlang.term_to_binary(value, [:deterministic]))
      :error -> nil
    end
  end

  @doc """
  What the server adapters hash with a stash id into a row key: the secret alone, or the
  secret and the session binding, so another session holding the id finds nothing.
  """
  @spec scope(binary(), binary() | nil) :: binary()
  def scope(secret, nil), do: secret
  def scope(secret, binding), do: secret <> ":" <> Base.url_encode64(binding, padding: false)

  # Cached in Plug.Crypto.Keys, as Phoenix.Token's keys are: one entry per configuration.
  defp mac_key(endpoint, salt) do
    Plug.Crypto.KeyGenerator.generate(endpoint.config(:secret_key_base), salt <> "/session",
      cache: Plug.Crypto.Keys
    )
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
