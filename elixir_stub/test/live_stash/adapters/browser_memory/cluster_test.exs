defmodule LiveStash.Adapters.BrowserMemory.ClusterTest do
  @moduledoc """
  BrowserMemory across real `:peer` nodes: the shared cross-node cases. The browser
  holds the newest token, and every node of the app shares the endpoint's
  secret_key_base, so any node opens it; the servers hold nothing.
  """
  use ExUnit.Case, async: false

  use LiveStash.Test.ClusterCases,
    view: LiveStash.Test.BrowserCounter,
    writer_gone: :newest,
    moves?: false

  # The servers keep no copy: the stash is the token the client hands back.
  def stored_count(_node, _stash_id), do: nil

  test "the client carries its keyed stash (a manifest and the keys' tokens) and no stash id",
       %{a: a} do
    params = first_stash(LiveStash.Test.BrowserCounter, a, 2)
    assert %{"stashedManifest" => manifest, "stashedKeys" => %{} = keys} = params["liveStash"]
    assert is_binary(manifest) and map_size(keys) == 1
    refute Map.has_key?(params["liveStash"], "stashId")
  end
end
