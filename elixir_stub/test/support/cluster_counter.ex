defmodule LiveStash.Test.ClusterCounter do
  @moduledoc "An ETS-backed test view compiled to disk, so a peer node can load it too."
  use LiveStash.Test.View, stored_keys: [:count]
end
