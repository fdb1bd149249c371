defmodule LiveStash.Adapters.Redis.Row do
  @moduledoc """
  A Redis value: the encoded `LiveStash.Record` behind a MAC, so only rows this app
  wrote are ever decoded (and may create atoms; see `LiveStash.Record`). Whoever can
  write to Redis cannot forge one, move a row under another key, pass an old row off as
  a newer one, or keep one alive past its expiry: the MAC covers the Redis key, the
  row's generation and its absolute expiry too.

      <<"LS", 3, generation::64, expires_at::64, nonce::16 bytes, tag::16 bytes, record::binary>>

  `generation` orders the writes of one stash (`LiveStash.Adapters.Generation`); it
  sits in clear at a fixed offset so the compare-and-set script
  (`LiveStash.Adapters.Redis.Script`) reads it without the secret. `expires_at` is wall-clock
  milliseconds (rows travel between nodes; a skewed clock sees rows expire that much
  earlier or later).

  The tag is Poly1305 under a one-time key, HMAC-SHA256(row key, nonce), with a random
  128-bit nonce per write, so no one-time key is used twice. The row key is derived from
  the endpoint's `secret_key_base` and the view's `:secret` (no per-session key: the
  record carries the session binding, checked on recovery), once per call and cached
  nowhere. Over a 1 MB record this costs about a fifth of HMAC-SHA256.

  Rows of the previous layout (2: no generation, no expiry inside the MAC) are still
  read, as generation 0 with an unknown expiry, and rewritten in this layout by the
  recovery that reads them.
  """

  alias LiveStash.Record

  @layout 3
  @previous 2
  # Each layout its own key, so a row of one layout never verifies as the other.
  @labels %{@previous => "live_stash redis row", @layout => "live_stash redis row 3"}

  @typedoc "An opened row: what its MAC vouches for. `expires_at` is nil for a previous-layout row."
  @type opened :: %{generation: non_neg_integer(), expires_at: integer() | nil, payload: binary()}

  @doc "The layout byte of new rows."
  def layout, do: @layout

  @doc "The value to store under `key`: `payload` (an encoded record) sealed with its generation and expiry."
  @spec seal(module(), binary(), binary(), non_neg_integer(), integer(), binary()) :: binary()
  def seal(endpoint, secret, key, generation, expires_at, payload) do
    header = <<@layout, generation::64, expires_at::64>>
    nonce = :crypto.strong_rand_bytes(16)
    tag = tag(endpoint, secret, @layout, nonce, key, [header, payload])
    <<"LS", header::binary, nonce::binary, tag::binary, payload::binary>>
  end

  @doc """
  Verifies the value stored under `key`: `{:error, :tampered}` for a value this app did
  not write there (or wrote under another secret or layout).
  """
  @spec unseal(module(), binary(), binary(), binary()) :: {:ok, opened()} | {:error, :tampered}
  def unseal(endpoint, secret, key, value) do
    case value do
      <<"LS", @layout, generation::64, expires_at::64, nonce::binary-16, tag::binary-16,
        payload::binary>> ->
        header = <<@layout, generation::64, expires_at::64>>
        expected = tag(endpoint, secret, @layout, nonce, key, [header, payload])
        verified(expected, tag, generation, expires_at, payload)

      <<"LS", @previous, nonce::binary-16, tag::binary-16, payload::binary>> ->
        verified(tag(endpoint, secret, @previous, nonce, key, payload), tag, 0, nil, payload)

      _ ->
        {:error, :tampered}
    end
  end

  @doc "The record stored under `key`, once its MAC verified (expiry not checked)."
  @spec open(module(), binary(), binary(), binary()) ::
          {:ok, Record.t()} | {:error, :tampered | :malformed}
  def open(endpoint, secret, key, value) do
    with {:ok, %{payload: payload}} <- unseal(endpoint, secret, key, value),
         do: Record.decode(payload)
  end

  @doc """
  The generation a value claims, unauthenticated: only for ordering two candidates, one
  of which is then verified. 0 for a previous-layout or foreign value.
  """
  @spec generation(binary()) :: non_neg_integer()
  def generation(<<"LS", @layout, generation::64, _::binary>>), do: generation
  def generation(_value), do: 0

  defp verified(expected, tag, generation, expires_at, payload) do
    if same?(expected, tag),
      do: {:ok, %{generation: generation, expires_at: expires_at, payload: payload}},
      else: {:error, :tampered}
  end

  defp tag(endpoint, secret, layout, nonce, key, body) do
    label = Map.fetch!(@labels, layout)
    row_key = :crypto.mac(:hmac, :sha256, endpoint.config(:secret_key_base), [label, 0, secret])
    one_time = :crypto.mac(:hmac, :sha256, row_key, nonce)
    :crypto.mac(:poly1305, one_time, [<<byte_size(key)::32>>, key, body])
  end

  # Constant time: a timing oracle must not reveal how much of a forged tag is right.
  if Code.ensure_loaded?(:crypto) and function_exported?(:crypto, :hash_equals, 2) do
    defp same?(left, right), do: :crypto.hash_equals(left, right)
  else
    defp same?(left, right), do: zero?(:crypto.exor(left, right), 0)

    defp zero?(<<byte, rest::binary>>, acc), do: zero?(rest, Bitwise.bor(acc, byte))
    defp zero?(<<>>, acc), do: acc == 0
  end
end
