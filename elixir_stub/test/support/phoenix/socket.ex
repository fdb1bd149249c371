defmodule Phoenix.LiveView.Socket do
  @moduledoc """
  TEST DOUBLE of phoenix_live_view 1.x's socket struct: the same fields and defaults,
  none of the transport. Compiled only in the :test env.
  """

  defstruct id: nil,
            endpoint: nil,
            view: nil,
            parent_pid: nil,
            root_pid: nil,
            router: nil,
            assigns: %{__changed__: %{}},
            private: %{live_temp: %{}},
            redirected: nil,
            host_uri: nil,
            transport_pid: nil,
            sticky: false

  @type t :: %__MODULE__{}
end
