defmodule LiveStash.Adapters.BrowserMemory.Token do
  @moduledoc """
  Seals and opens the browser's stash tokens (a whole record, a keyed stash's manifest,
  or one of its keys) under the view's fixed `:secret` salt: signed, or encrypted with
  `security_mode: :encrypt`. Every token is good for `LiveStash.Lease.bound/1`; how long
  one that recovery starts from (a whole token or a manifest) lives alone is `open/3`'s rule.
  """

  alias LiveStash.{Lease, State}

  @doc "Seals `data` for the browser."
  @spec seal(Phoenix.LiveView.Socket.t(), State.t(), binary()) :: binary()
  def seal(socket, %State{options: %{security_mode: :encrypt, ttl: ttl, secret: salt}}, data),
    do: Phoenix.Token.encrypt(socket.endpoint, salt, data, max_age: Lease.bound(ttl))

  def seal(socket, %State{options: %{ttl: ttl, secret: salt}}, data),
    do: Phoenix.Token.sign(socket.endpoint, salt, data, max_age: Lease.bound(ttl))

  @doc """
  Opens the token a recovery starts from. The official rule first: a token alone lives
  ttl seconds. Past that, only with the join's lease for it, and never past the bound.
  """
  @spec open(Phoenix.LiveView.Socket.t(), State.t(), binary()) ::
          {:ok, binary()} | {:error, :expired | :missing | :invalid}
  def open(socket, %State{options: %{ttl: ttl}} = state, token) do
    case open(socket, state, token, ttl) do
      {:error, :expired} -> open_leased(socket, state, token)
      other -> other
    end
  end

  @doc "Opens a token whose lifetime another token governs: only the absolute bound applies."
  @spec open_bounded(Phoenix.LiveView.Socket.t(), State.t(), binary()) ::
          {:ok, binary()} | {:error, :expired | :missing | :invalid}
  def open_bounded(socket, %State{options: %{ttl: ttl}} = state, token),
    do: open(socket, state, token, Lease.bound(ttl))

  @doc """
  What a failed open means for recovery: an expired token means nothing usable is stored,
  not that someone tampered.
  """
  @spec failure({:error, :expired | :missing | :invalid}) ::
          :not_found | {:not_found, :expired} | {:error, :tampered}
  def failure({:error, :expired}), do: {:not_found, :expired}
  def failure({:error, :missing}), do: :not_found
  def failure({:error, :invalid}), do: {:error, :tampered}

  @doc """
  Checks the lease the join handed back (if any) against the token with `digest`;
  returns when that token was signed.
  """
  @spec verify_lease(Phoenix.LiveView.Socket.t(), State.t(), binary()) ::
          {:ok, integer()} | {:error, :missing | :expired | :invalid}
  def verify_lease(socket, %State{options: %{ttl: ttl, secret: salt}} = state, digest) do
    lease = incoming_lease(state)

    # A lease 0.1.0 signed names that release's session binding (`LiveStash.Secret`).
    with {:error, :invalid} <-
           Lease.verify(socket.endpoint, salt, lease, digest, ttl, state.session),
         legacy when is_binary(legacy) <- state.legacy_session do
      Lease.verify(socket.endpoint, salt, lease, digest, ttl, legacy)
    else
      nil -> {:error, :invalid}
      result -> result
    end
  end

  defp incoming_lease(%State{incoming: %{lease: lease}}), do: lease
  defp incoming_lease(_state), do: nil

  defp open_leased(socket, state, token) do
    case verify_lease(socket, state, Lease.digest(token)) do
      {:ok, _issued_at} -> open_bounded(socket, state, token)
      {:error, :missing} -> {:error, :expired}
      {:error, reason} -> {:error, reason}
    end
  end

  defp open(socket, %State{options: %{security_mode: :encrypt, secret: salt}}, token, max_age),
    do: Phoenix.Token.decrypt(socket.endpoint, salt, token, max_age: max_age)

  defp open(socket, %State{options: %{secret: salt}}, token, max_age),
    do: Phoenix.Token.verify(socket.endpoint, salt, token, max_age: max_age)
end
