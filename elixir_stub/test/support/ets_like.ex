defmodule LiveStash.Test.ETSLike do
  @moduledoc """
  A test adapter that stores like `LiveStash.Adapters.ETS` except in its own `put/3`:
  `use LiveStash.Test.ETSLike` delegates every other callback to ETS. (It must be in
  `config :live_stash, adapters: [...]` to be used, as any adapter.)
  """

  defmacro __using__(_opts) do
    quote do
      @behaviour LiveStash.Adapter.Internal
      defdelegate mount(socket, state), to: LiveStash.Adapters.ETS
      defdelegate fetch(socket, state), to: LiveStash.Adapters.ETS
      defdelegate drop(socket, state), to: LiveStash.Adapters.ETS
      defdelegate leave(socket, state), to: LiveStash.Adapters.ETS
      defdelegate keep_alive(socket, state), to: LiveStash.Adapters.ETS
    end
  end
end
