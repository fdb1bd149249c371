defmodule LiveStash.Record.PackingTest do
  @moduledoc """
  What `LiveStash.Record.encode/1` writes: compressed (at level 1) only when that pays,
  and always something `decode/1` reads back. Decided on the output bytes: the external
  term format marks a compressed term `<<131, 80, ...>>`.
  """
  use ExUnit.Case, async: true

  alias LiveStash.Record
  alias LiveStash.Test.{States, Tokens}

  @session :crypto.hash(:sha256, "alice")

  defp record(assigns),
    do: Tokens.record(__MODULE__, "phx-F1a2b3c4d5e6f7g8", assigns, version: 2, session: @session)

  defp compressed?(<<131, 80, _::binary>>), do: true
  defp compressed?(<<131, _::binary>>), do: false

  # A zlib stream's second byte carries the level class: 0x01 is "fastest" (level 1).
  defp zlib_level_fastest?(<<131, 80, _size::32, 0x78, 0x01, _::binary>>), do: true
  defp zlib_level_fastest?(_), do: false

  defp round_trip(assigns) do
    record = record(assigns)
    encoded = Record.encode(record)
    assert {:ok, ^record} = Record.decode(encoded)
    encoded
  end

  test "a small record is written raw and round trips" do
    encoded = round_trip(%{count: 1, draft: "hello"})
    refute compressed?(encoded)
  end

  test "a compressible record is compressed at the cheap level and round trips" do
    encoded = round_trip(States.realistic())
    assert compressed?(encoded)
    assert zlib_level_fastest?(encoded)
    assert byte_size(encoded) * 5 < byte_size(:erlang.term_to_binary(States.realistic()))
  end

  test "an incompressible record is written raw and round trips" do
    refute compressed?(round_trip(States.incompressible(65_536)))
  end

  test "1 MB records round trip, compressible or not" do
    refute compressed?(round_trip(States.incompressible(1_048_576)))

    big = %{items: for(_ <- 1..22, do: States.realistic().items) |> List.flatten()}
    encoded = round_trip(big)
    assert byte_size(:erlang.term_to_binary(big)) > 1_000_000
    assert compressed?(encoded)
  end

  test "a record that compression would shrink by under 10 % is written raw" do
    # 5 % zeros among random bytes: level 6 (the former encoding) compresses it anyway.
    blob = :crypto.strong_rand_bytes(60_000) <> :binary.copy(<<0>>, 3_000)
    refute compressed?(round_trip(%{blob: blob}))
  end

  test "a record written by the former encoder (level 6 compression) still decodes" do
    record = record(States.realistic())

    former =
      :erlang.term_to_binary(
        {:live_stash_record, 2, record.view, record.view_id, record.version, record.session,
         record.assigns, record.components},
        [:compressed]
      )

    assert {:ok, ^record} = Record.decode(former)
  end

  test "the browser token of a realistic state is no larger than the official library's" do
    state = States.realistic()
    ours = Tokens.token(record(state))
    official = Tokens.token(:erlang.term_to_binary(%{version: 2, assigns: state}, [:compressed]))
    assert byte_size(ours) <= byte_size(official)
  end
end
