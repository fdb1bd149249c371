defmodule LiveStash.RecordTest do
  use ExUnit.Case, async: true

  alias LiveStash.Record

  test "a record without components encodes exactly as before components existed" do
    record = Record.new(%{count: 1}, __MODULE__, 2)
    old = :erlang.term_to_binary({__MODULE__, 2, %{count: 1}}, [:compressed])
    assert Record.encode(record) == old
    assert Record.decode(old) == {:ok, record}
  end

  test "components round trip and are checked with the record" do
    components = %{{"Elixir.MyApp.Item", "a"} => %{draft: "x"}, {"Elixir.MyApp.Item", 7} => %{}}
    record = Record.new(%{count: 1}, __MODULE__, 2, components)
    assert {:ok, decoded} = Record.decode(Record.encode(record))
    assert decoded.components == components
    assert Record.check(decoded, __MODULE__, 2) == {:ok, decoded}
    assert Record.check(decoded, __MODULE__, 3) == {:error, :version_mismatch}
  end

  test "malformed component entries are rejected, not half-trusted" do
    for bad <- [
          %{{:not_a_string, "a"} => %{}},
          %{{"Elixir.M", "a"} => :nope},
          %{"flat" => %{}},
          [:list]
        ] do
      binary = :erlang.term_to_binary({__MODULE__, nil, %{}, bad})
      assert Record.decode(binary) == {:error, :malformed}
    end
  end

  test "a stored record from before components existed (no :components field) still checks" do
    old = Map.delete(Record.new(%{count: 1}, __MODULE__, nil), :components)

    assert {:ok, %Record{components: %{}, assigns: %{count: 1}}} =
             Record.check(old, __MODULE__, nil)
  end
end
