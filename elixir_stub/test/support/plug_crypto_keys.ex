defmodule LiveStash.Test.PlugCryptoKeys do
  @moduledoc """
  Stands in for plug_crypto's application, which creates the public `Plug.Crypto.Keys`
  ETS table when it boots (the Phoenix.Token double caches its derived keys there). The
  suite has no plug_crypto, so the table is made on first use by this process, which
  owns it for the life of the VM.
  """
  use GenServer

  @table Plug.Crypto.Keys

  @doc "The table's name, once it exists."
  def table do
    if :ets.whereis(@table) == :undefined do
      pid =
        case GenServer.start(__MODULE__, nil, name: __MODULE__) do
          {:ok, pid} -> pid
          {:error, {:already_started, pid}} -> pid
        end

      # Another caller may have started it a moment ago: its init must have run.
      :ok = GenServer.call(pid, :ready)
    end

    @table
  end

  @impl true
  def init(nil) do
    @table = :ets.new(@table, [:named_table, :public, read_concurrency: true])
    {:ok, nil}
  end

  @impl true
  def handle_call(:ready, _from, state), do: {:reply, :ok, state}
end
