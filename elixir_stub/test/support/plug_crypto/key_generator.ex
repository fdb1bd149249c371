defmodule Plug.Crypto.KeyGenerator do
  @moduledoc """
  TEST DOUBLE of `Plug.Crypto.KeyGenerator` (plug_crypto 1.2 / 2.x), its own small
  implementation with the documented behaviour: `generate(secret, salt, opts)` derives a
  key by PBKDF2 (`:iterations` 1000, `:length` 32, `:digest` `:sha256` by default); with
  `cache: table` it looks the key up in that ETS table first, keyed
  `{secret, salt, iterations, length, digest}`, and stores it there, never evicting.

  The `Phoenix.Token` double derives its keys here, with `cache: Plug.Crypto.Keys`, as
  Phoenix does (that table is made on first use, see `LiveStash.Test.PlugCryptoKeys`).
  """

  def generate(secret, salt, opts \\ []) do
    iterations = Keyword.get(opts, :iterations, 1000)
    length = Keyword.get(opts, :length, 32)
    digest = Keyword.get(opts, :digest, :sha256)
    derive = fn -> :crypto.pbkdf2_hmac(digest, secret, salt, iterations, length) end
    cached(cache(opts[:cache]), {secret, salt, iterations, length, digest}, derive)
  end

  defp cache(Plug.Crypto.Keys), do: LiveStash.Test.PlugCryptoKeys.table()
  defp cache(table), do: table

  defp cached(nil, _key, derive), do: derive.()

  defp cached(table, key, derive) do
    case :ets.lookup(table, key) do
      [{_key, value}] ->
        value

      [] ->
        value = derive.()
        :ets.insert(table, [{key, value}])
        value
    end
  end
end
