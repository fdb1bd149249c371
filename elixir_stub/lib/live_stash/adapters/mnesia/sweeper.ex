defmodule LiveStash.Adapters.Mnesia.Sweeper do
  @moduledoc false
  # Deletes expired rows every `mnesia_cleanup_interval` ms (default 60,000).
  #
  # Deletes replicate, so one node sweeping is enough: the node with the smallest name
  # among those holding an active copy does it; the others skip. Reads never depend on
  # the sweep (an expired row already reads as missing).

  use GenServer

  require Logger

  alias LiveStash.Adapters.Mnesia.Table

  @default_interval_ms 60_000

  @doc "Starts the periodic sweep (the adapter's child spec)."
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)

  @impl true
  def init(_opts), do: {:ok, schedule(%{})}

  @impl true
  def handle_info(:sweep, state) do
    if sweeper?() do
      with {:error, reason} <- Table.sweep() do
        Logger.warning("LiveStash.Mnesia could not sweep expired stashes: #{inspect(reason)}")
      end
    end

    {:noreply, schedule(state)}
  end

  defp sweeper? do
    node() == Enum.min(:mnesia.table_info(Table.name(), :where_to_write), fn -> node() end)
  catch
    :exit, _ -> false
  end

  defp schedule(state) do
    Process.send_after(self(), :sweep, interval!())
    state
  end

  defp interval! do
    case Application.get_env(:live_stash, :mnesia_cleanup_interval, @default_interval_ms) do
      ms when is_integer(ms) and ms > 0 ->
        ms

      other ->
        raise ArgumentError,
              "config :live_stash, mnesia_cleanup_interval: must be a positive number of " <>
                "milliseconds, e.g. 60_000, got: #{inspect(other)}"
    end
  end
end
