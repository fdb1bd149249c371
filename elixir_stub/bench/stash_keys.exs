# One small-key change of a BrowserMemory view whose other stored key holds 64 KB: bytes
# pushed and the server's CPU for that stash, keyed (our client announces `keys`) against
# the whole token (the official client's join), measured in the same run.
#
#   cd elixir_stub && MIX_ENV=test mix run --no-deps-check bench/stash_keys.exs
#
# Runs the shim through the test doubles. Each stash is timed inside the LiveView process,
# as a handle_event would run it (median of many). Prints one tab-separated row each, for
# bench/stash-keys.ts:
#   row <state label> <bytes|cpu_us> <keyed value> <whole-token value>

alias LiveStash.Adapters.BrowserMemory
alias LiveStash.Test.{Client, Define, ViewServer, Wire}

defmodule LiveStash.Bench.StashKeys do
  @moduledoc false

  @runs 200

  # A view holding `blob` under :other and a counter, joined as our client or the official one.
  def view(module, blob, official) do
    params = Client.fresh_params(%{}, official: official)
    {:ok, pid} = ViewServer.start(module, params: params, id: "phx-F1a2b3c4d5e6f7g8")

    :ok =
      ViewServer.update(pid, fn socket ->
        socket |> Phoenix.Component.assign(other: blob, count: 0) |> LiveStash.stash()
      end)

    pid
  end

  # Median microseconds of one stash after the counter changed, and the bytes it pushed.
  def measure(pid) do
    caller = self()

    times =
      for n <- 1..@runs do
        :ok =
          ViewServer.update(pid, fn socket ->
            socket = Phoenix.Component.assign(socket, :count, n)
            {us, socket} = :timer.tc(fn -> LiveStash.stash(socket) end)
            send(caller, {:us, us})
            socket
          end)

        receive(do: ({:us, us} -> us))
      end

    last = List.last(ViewServer.events(pid))
    {median(times), Wire.frame_bytes("phx-F1a2b3c4d5e6f7g8", [last])}
  end

  defp median(list), do: list |> Enum.sort() |> Enum.at(div(length(list), 2))
end

bench = LiveStash.Bench.StashKeys

opts = [adapter: BrowserMemory, security_mode: :sign, stored_keys: [:count, :other]]
module = Define.view!(LiveStash.Bench.StashKeysView, opts)

states = [
  # Incompressible: what a compressed token cannot shrink.
  {"random 64 KB", :crypto.strong_rand_bytes(65_536)},
  # Compressible: 500 small maps, about 48 KB serialised.
  {"500 small maps",
   for(i <- 1..500, do: %{id: i, title: "item #{i}", done: rem(i, 3) == 0, tags: ["a", "b"]})}
]

for {label, blob} <- states do
  {keyed_us, keyed_bytes} = bench.measure(bench.view(module, blob, false))
  {whole_us, whole_bytes} = bench.measure(bench.view(module, blob, true))
  IO.puts(Enum.join(["row", label, "bytes", keyed_bytes, whole_bytes], "\t"))
  IO.puts(Enum.join(["row", label, "cpu_us", keyed_us, whole_us], "\t"))
end
