defmodule Phoenix.Token do
  @moduledoc """
  TEST DOUBLE of `Phoenix.Token` (phoenix 1.7), its own small implementation with the
  documented behaviour:

    * the context is an endpoint module, a struct with an `:endpoint` field, or a key
      base of at least 20 bytes; the key comes from the key base and the salt/secret
    * `:max_age` in seconds (default 86400) is stored in the token; `verify`/`decrypt`
      may override it; `:infinity` never expires, `<= 0` always does
    * results: `{:ok, data}`, `{:error, :expired}`, `{:error, :invalid}`,
      `{:error, :missing}` for a nil token
    * `:signed_at` (seconds) backdates a token
    * a key derived from a key base and salt is cached, as Plug.Crypto caches it (its
      `Plug.Crypto.Keys` table): one PBKDF2 run per key base and salt, not per call
  """

  def sign(context, salt, data, opts \\ []) when is_binary(salt) do
    body = payload(data, opts)
    mac = :crypto.mac(:hmac, :sha256, key(context, salt), body)
    "SFMyNTY." <> b64(body) <> "." <> b64(mac)
  end

  def verify(context, salt, token, opts \\ [])

  def verify(_context, salt, nil, _opts) when is_binary(salt), do: {:error, :missing}

  def verify(context, salt, token, opts) when is_binary(salt) and is_binary(token) do
    with ["SFMyNTY", body64, mac64] <- String.split(token, "."),
         {:ok, body} <- unb64(body64),
         {:ok, mac} <- unb64(mac64),
         true <- :crypto.hash_equals(:crypto.mac(:hmac, :sha256, key(context, salt), body), mac) do
      check_age(body, opts)
    else
      _ -> {:error, :invalid}
    end
  rescue
    ArgumentError -> {:error, :invalid}
  end

  def encrypt(context, secret, data, opts \\ []) when is_binary(secret) do
    iv = :crypto.strong_rand_bytes(12)
    body = payload(data, opts)

    {cipher, tag} =
      :crypto.crypto_one_time_aead(:aes_256_gcm, key(context, secret), iv, body, "A256GCM", true)

    "QTI1NkdDTQ." <> b64(iv <> tag <> cipher)
  end

  def decrypt(context, secret, token, opts \\ [])

  def decrypt(_context, secret, nil, _opts) when is_binary(secret), do: {:error, :missing}

  def decrypt(context, secret, token, opts) when is_binary(secret) and is_binary(token) do
    with ["QTI1NkdDTQ", blob64] <- String.split(token, "."),
         {:ok, <<iv::binary-12, tag::binary-16, cipher::binary>>} <- unb64(blob64),
         body when is_binary(body) <-
           :crypto.crypto_one_time_aead(
             :aes_256_gcm,
             key(context, secret),
             iv,
             cipher,
             "A256GCM",
             tag,
             false
           ) do
      check_age(body, opts)
    else
      _ -> {:error, :invalid}
    end
  end

  defp payload(data, opts) do
    signed_ms =
      case Keyword.fetch(opts, :signed_at) do
        {:ok, seconds} -> trunc(seconds * 1000)
        :error -> System.system_time(:millisecond)
      end

    :erlang.term_to_binary({data, signed_ms, Keyword.get(opts, :max_age, 86_400)})
  end

  defp check_age(body, opts) do
    {data, signed_ms, stored_max_age} = :erlang.binary_to_term(body)

    case Keyword.get(opts, :max_age, stored_max_age) do
      :infinity ->
        {:ok, data}

      max_age when max_age <= 0 ->
        {:error, :expired}

      max_age ->
        if signed_ms + trunc(max_age * 1000) < System.system_time(:millisecond),
          do: {:error, :expired},
          else: {:ok, data}
    end
  end

  defp key(context, salt) do
    base = key_base(context)
    cached = {__MODULE__, base, salt}

    case :persistent_term.get(cached, nil) do
      nil ->
        key = :crypto.pbkdf2_hmac(:sha256, base, salt, 1000, 32)
        :persistent_term.put(cached, key)
        key

      key ->
        key
    end
  end

  defp key_base(%_{endpoint: endpoint}), do: key_base(endpoint)
  defp key_base(base) when is_binary(base) and byte_size(base) >= 20, do: base

  defp key_base(endpoint) when is_atom(endpoint) do
    endpoint.config(:secret_key_base) ||
      raise "no :secret_key_base configuration found in #{inspect(endpoint)}"
  end

  defp b64(bin), do: Base.url_encode64(bin, padding: false)
  defp unb64(text), do: Base.url_decode64(text, padding: false)
end
