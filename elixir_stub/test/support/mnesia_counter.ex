defmodule LiveStash.Test.MnesiaCounter do
  @moduledoc "A Mnesia-backed test view compiled to disk, so a peer node can load it too."
  use LiveStash.Test.View, adapter: LiveStash.Adapters.Mnesia, stored_keys: [:count]
end
