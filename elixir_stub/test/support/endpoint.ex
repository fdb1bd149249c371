defmodule LiveStash.Test.Endpoint do
  @moduledoc "Stands in for a Phoenix endpoint: only the secret key base tokens need."
  def config(:secret_key_base), do: String.duplicate("live-stash-test-key-base/", 3)
  def config(_), do: nil
end
