defmodule LiveStash.Test.States do
  @moduledoc """
  Stored states of known shape, shared by the tests and the bench (issue 16):

    * `realistic/0` - 500 small maps, about 45 KB as `term_to_binary`: a list a view
      would really keep (ids, titles, flags, tags, timestamps), compressing about 10×
    * `incompressible/1` - random bytes, which no compressor shrinks
  """

  @doc "500 small maps, as a to-do or order list would hold."
  @spec realistic() :: %{items: [map()]}
  def realistic do
    %{
      items:
        for i <- 1..500 do
          %{
            id: i,
            title: "Item #{i}",
            done: rem(i, 3) == 0,
            tags: ["a", "b"],
            updated_at: 1_700_000_000 + i
          }
        end
    }
  end

  @doc "`bytes` random bytes under `:blob`."
  @spec incompressible(pos_integer()) :: %{blob: binary()}
  def incompressible(bytes), do: %{blob: :crypto.strong_rand_bytes(bytes)}
end
