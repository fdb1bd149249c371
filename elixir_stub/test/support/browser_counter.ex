defmodule LiveStash.Test.BrowserCounter do
  @moduledoc "A BrowserMemory-backed test view compiled to disk, so a peer node can load it too."
  use LiveStash.Test.View,
    adapter: LiveStash.Adapters.BrowserMemory,
    security_mode: :encrypt,
    stored_keys: [:count]
end
