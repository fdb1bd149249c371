defmodule LiveStash.Bridge.Endpoint do
  @moduledoc false
  # The endpoint the bridge's sockets name: only the secret key base, the Node server's own,
  # so the library's tokens are keyed as that server's app would key them.

  def put_secret(secret) when is_binary(secret),
    do: :persistent_term.put({__MODULE__, :secret_key_base}, secret)

  def config(:secret_key_base), do: :persistent_term.get({__MODULE__, :secret_key_base})
  def config(_), do: nil
end
