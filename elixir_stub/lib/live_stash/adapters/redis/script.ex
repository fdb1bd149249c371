defmodule LiveStash.Adapters.Redis.Script do
  @moduledoc false
  # The compare-and-set that keeps a delayed write from one node off a newer row written
  # from another: a row is only replaced by a higher generation (a `:put`), or refreshed
  # under the same one (a `:touch`, which never creates a row). Atomic in Redis, and it
  # reads only the row's first 11 bytes, never the record.
  #
  # KEYS[1] the row; ARGV: value, PX, generation, "put" | "touch". Replies 1 when it
  # wrote, 0 when the stored row is newer (or, for a touch, gone or replaced).

  alias LiveStash.Adapters.Redis.{Client, Row}

  @source """
  local head = redis.call('GETRANGE', KEYS[1], 0, 10)
  local stored = -1
  if head ~= '' then
    stored = 0
    if string.len(head) == 11 and string.sub(head, 1, 3) == 'LS\\#{Row.layout()}' then
      for i = 4, 11 do stored = stored * 256 + string.byte(head, i) end
    end
  end
  local generation = tonumber(ARGV[3])
  local write
  if ARGV[4] == 'touch' then write = stored == generation else write = stored < generation end
  if not write then return 0 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
  """

  @sha :crypto.hash(:sha, @source) |> Base.encode16(case: :lower)

  @doc """
  Runs the script for `key`; `{:ok, :written | :stale}` or the client's error. `command`
  is `Client.command/1` but for the suite, which plays Redix's replies.
  """
  @spec run(binary(), binary(), pos_integer(), non_neg_integer(), :put | :touch, fun()) ::
          {:ok, :written | :stale} | {:error, term()}
  def run(key, value, ttl_ms, generation, mode, command \\ &Client.command/1) do
    args = ["1", key, value, Integer.to_string(max(ttl_ms, 1)), Integer.to_string(generation)]
    args = args ++ [Atom.to_string(mode)]

    # EVALSHA sends 40 bytes instead of the script; a Redis that restarted (or a new
    # replica) does not know it yet, and EVAL loads it.
    case command.(["EVALSHA", @sha | args]) do
      {:error, {:redis, "NOSCRIPT" <> _}} -> reply(command.(["EVAL", @source | args]))
      other -> reply(other)
    end
  end

  # eredis answers integers as binaries, Redix as integers.
  defp reply({:ok, written}) when written in [1, "1"], do: {:ok, :written}
  defp reply({:ok, stale}) when stale in [0, "0"], do: {:ok, :stale}
  defp reply({:ok, other}), do: {:error, {:unexpected_reply, other}}
  defp reply({:error, _} = error), do: error
end
