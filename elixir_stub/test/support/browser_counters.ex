defmodule LiveStash.Test.BrowserCounter do
  @moduledoc """
  A BrowserMemory counter with encrypted tokens, compiled to disk so a peer node can
  load it too.
  """
  use LiveStash.Test.View,
    adapter: LiveStash.Adapters.BrowserMemory,
    security_mode: :encrypt,
    stored_keys: [:count]
end

defmodule LiveStash.Test.SignedBrowserCounter do
  @moduledoc "The same counter with signed tokens (`security_mode: :sign`)."
  use LiveStash.Test.View,
    adapter: LiveStash.Adapters.BrowserMemory,
    security_mode: :sign,
    stored_keys: [:count]
end
