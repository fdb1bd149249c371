defmodule LiveStash.Push do
  @moduledoc false
  # Pushes LiveStash events. Every payload names the LiveView (`view: socket.id`) so
  # several or nested LiveViews on one page each keep their own stash on the client.

  @doc "Pushes event `name` with `payload`, tagged with this LiveView's id."
  @spec event(Phoenix.LiveView.Socket.t(), binary(), map()) :: Phoenix.LiveView.Socket.t()
  def event(socket, name, payload) do
    Phoenix.LiveView.push_event(socket, name, Map.put(payload, :view, socket.id))
  end
end
