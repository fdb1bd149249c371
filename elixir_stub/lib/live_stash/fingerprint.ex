defmodule LiveStash.Fingerprint do
  @moduledoc """
  Hashes the stored assigns so an unchanged value is not written (or pushed) again.
  A full hash rather than `:erlang.phash2/1`, because a collision would silently
  skip a real change.
  """

  @spec of(map()) :: binary()
  def of(assigns) when is_map(assigns) do
    :crypto.hash(:sha256, :erlang.term_to_binary(assigns, [:deterministic]))
  end
end
