defmodule LiveStash.Lease do
  @moduledoc """
  Keeps a browser token alive without sending it again.

  A lease is a `Phoenix.Token` signed with its own salt over
  `{format, digest, issued_at, session}`: its format number, a digest of the one token it extends, when that token
  was signed, and the session binding (`LiveStash.Secret`; nil without `:session_key`).
  It is valid for the ttl, so it is useless without its token and a stale one is worth
  nothing. Its own salt (fixed: the view's secret plus "/lease") keeps a lease from ever
  passing for a stash token, and the other way round.

  The token itself carries a longer, absolute bound (`bound/1`); the view re-issues it
  shortly before that bound, so a view kept open for days still recovers.
  """

  # Bumped when the signed payload changes; `verify/6` reads the format before it too.
  # 0.1.0 signed `{digest, issued_at, session}`, with no number.
  @format 1

  # A day, or four ttls when the ttl is longer than that.
  @min_bound 86_400

  @doc "Seconds a stash token is good for when leased."
  @spec bound(number()) :: number()
  def bound(ttl), do: max(@min_bound, 4 * ttl)

  @doc """
  Names a token: 128 bits of its SHA-256 are plenty, because the token named must carry
  the server's own signature as well. Keeps the lease, and so each beat, small.
  """
  @spec digest(binary()) :: binary()
  def digest(token), do: binary_part(:crypto.hash(:sha256, token), 0, 16)

  @doc """
  Signs a lease for the token with `digest`, valid for `ttl` seconds, for the session
  with binding `session`.
  """
  @spec sign(term(), binary(), binary(), integer(), number(), binary() | nil) :: binary()
  def sign(endpoint, salt, digest, issued_at, ttl, session \\ nil),
    do:
      Phoenix.Token.sign(endpoint, salt(salt), {@format, digest, issued_at, session}, max_age: ttl)

  @doc """
  Checks `lease` against the token with `digest` and the session binding `session`;
  returns when that token was signed. A lease for another token or session is
  `:invalid`, as a forged one or one of an unknown format is.
  """
  @spec verify(term(), binary(), binary() | nil, binary(), number(), binary() | nil) ::
          {:ok, integer()} | {:error, :missing | :expired | :invalid}
  def verify(endpoint, salt, lease, digest, ttl, session \\ nil)

  def verify(_endpoint, _salt, nil, _digest, _ttl, _session), do: {:error, :missing}

  def verify(endpoint, salt, lease, digest, ttl, session) when is_binary(lease) do
    with {:ok, payload} <- Phoenix.Token.verify(endpoint, salt(salt), lease, max_age: ttl) do
      held(payload, digest, session)
    end
  end

  def verify(_endpoint, _salt, _lease, _digest, _ttl, _session), do: {:error, :invalid}

  defp held(payload, digest, session) do
    case upgrade(payload) do
      # Plain equality is enough: the lease's signature was checked first, and the digest
      # it names is worth nothing without the server-signed token it names.
      # (`:crypto.hash_equals/2` would also need OTP 25.)
      {held, issued_at, ^session} when is_binary(held) and is_integer(issued_at) ->
        if held == digest, do: {:ok, issued_at}, else: {:error, :invalid}

      _other ->
        {:error, :invalid}
    end
  end

  defp upgrade({@format, digest, issued_at, session}), do: {digest, issued_at, session}
  defp upgrade({_digest, _issued_at, _session} = format_0_1_0), do: format_0_1_0
  defp upgrade(_other), do: :unknown

  @doc """
  Whether a lease issued now (plus one more beat of margin) would outlive a token signed
  at `issued_at`: then the token must be re-issued instead.
  """
  @spec outlives_token?(integer(), number()) :: boolean()
  def outlives_token?(issued_at, ttl),
    do: LiveStash.Clock.now() + 1.25 * ttl >= issued_at + bound(ttl)

  defp salt(salt), do: salt <> "/lease"
end
