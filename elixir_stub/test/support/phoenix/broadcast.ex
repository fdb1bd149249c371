defmodule Phoenix.Socket.Broadcast do
  @moduledoc """
  TEST DOUBLE of Phoenix's broadcast struct: the same fields. Phoenix's socket drainer
  sends every channel one with `event: "phx_drain"` when the endpoint shuts down.
  """

  defstruct topic: nil, event: nil, payload: nil

  @type t :: %__MODULE__{}
end
