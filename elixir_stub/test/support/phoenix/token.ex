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
    * the time is the suite's clock (`LiveStash.Test.Clock`), which tests may move forward
    * the outer payload `{data, signed_at_ms, max_age}` is decoded only after the MAC or
      the AEAD tag verified, as Plug.Crypto decodes it: `binary_to_term` WITHOUT `:safe`
      (atoms the payload names are created), refusing any term that holds a function
      (an `ArgumentError`, not rescued, as in `Plug.Crypto.non_executable_binary_to_term/2`)
    * derived keys come from `Plug.Crypto.KeyGenerator` (its double), cached as
      Plug.Crypto caches them: in the public ETS table `Plug.Crypto.Keys`, keyed
      `{key_base, salt, 1000, 32, :sha256}` (key base, salt, iterations, length,
      digest), one PBKDF2-HMAC-SHA256 run per key base and salt, never evicted. Its
      size is what an app's key cache holds, so tests and the bench count entries
      there. (plug_crypto's application creates the table at boot; here
      `LiveStash.Test.PlugCryptoKeys` does on first use.)
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
         true <- secure_compare(:crypto.mac(:hmac, :sha256, key(context, salt), body), mac) do
      check_age(body, opts)
    else
      _ -> {:error, :invalid}
    end
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
        :error -> LiveStash.Test.Clock.system_time(:millisecond)
      end

    :erlang.term_to_binary({data, signed_ms, Keyword.get(opts, :max_age, 86_400)})
  end

  defp secure_compare(left, right),
    do: byte_size(left) == byte_size(right) and :crypto.hash_equals(left, right)

  defp check_age(body, opts) do
    {data, signed_ms, stored_max_age} = non_executable_binary_to_term(body)

    case Keyword.get(opts, :max_age, stored_max_age) do
      :infinity ->
        {:ok, data}

      max_age when max_age <= 0 ->
        {:error, :expired}

      max_age ->
        if signed_ms + trunc(max_age * 1000) < LiveStash.Test.Clock.system_time(:millisecond),
          do: {:error, :expired},
          else: {:ok, data}
    end
  end

  defp non_executable_binary_to_term(binary) do
    term = :erlang.binary_to_term(binary)

    unless LiveStash.Record.NonExecutable.term?(term) do
      raise ArgumentError, "cannot deserialize the term: it is not safe for deserialization"
    end

    term
  end

  defp key(context, salt),
    do: Plug.Crypto.KeyGenerator.generate(key_base(context), salt, cache: Plug.Crypto.Keys)

  defp key_base(%_{endpoint: endpoint}), do: key_base(endpoint)
  defp key_base(base) when is_binary(base) and byte_size(base) >= 20, do: base

  defp key_base(endpoint) when is_atom(endpoint) do
    endpoint.config(:secret_key_base) ||
      raise "no :secret_key_base configuration found in #{inspect(endpoint)}"
  end

  defp b64(bin), do: Base.url_encode64(bin, padding: false)
  defp unb64(text), do: Base.url_decode64(text, padding: false)
end
