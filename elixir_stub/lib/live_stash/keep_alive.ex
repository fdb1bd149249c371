defmodule LiveStash.KeepAlive do
  @moduledoc false
  # Refreshes the stash every ttl/4 while the LiveView lives, so the TTL counts from
  # the last activity: an idle view that drops after a long pause still recovers.

  alias LiveStash.{State, Telemetry}
  alias LiveStash.Component.{Host, Instance}

  @hook :live_stash_keep_alive

  @doc "Attaches the timer's message handler and starts the timer."
  @spec attach(Phoenix.LiveView.Socket.t(), State.t()) :: {Phoenix.LiveView.Socket.t(), State.t()}
  def attach(socket, %State{} = state) do
    socket = Phoenix.LiveView.attach_hook(socket, @hook, :handle_info, &handle_info/2)
    {socket, schedule(state)}
  end

  @doc false
  def handle_info({__MODULE__, ref}, socket) do
    state = socket.private[State.private_key()]

    # Timers from before a reset carry an old ref; letting them through would double the rate.
    if match?(%State{keep_alive_ref: ^ref}, state) do
      beat = fn -> state.options.adapter.keep_alive(socket, state) end
      socket = Telemetry.keep_alive(Instance.telemetry(socket, state.options.adapter), beat)
      {:halt, Host.put_state(socket, schedule(state))}
    else
      {:halt, socket}
    end
  end

  def handle_info(_other, socket), do: {:cont, socket}

  defp schedule(%State{options: options} = state) do
    ref = make_ref()
    Process.send_after(self(), {__MODULE__, ref}, interval_ms(options.ttl))
    %State{state | keep_alive_ref: ref}
  end

  @doc false
  def interval_ms(ttl), do: max(trunc(ttl * 1000 / 4), 10)
end
