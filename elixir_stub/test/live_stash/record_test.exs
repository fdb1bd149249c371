defmodule LiveStash.RecordTest do
  use ExUnit.Case, async: true

  alias LiveStash.Record
  alias LiveStash.Test.Tokens

  @session :crypto.hash(:sha256, "alice")
  @expected %{view: __MODULE__, view_id: "phx-a", version: 2, session: @session}

  defp record(opts \\ []) do
    opts = Keyword.merge([version: 2, session: @session], opts)
    Tokens.record(__MODULE__, Keyword.get(opts, :view_id, "phx-a"), %{count: 1}, opts)
  end

  test "a record round trips with its view, instance, version, session and components" do
    components = %{{"Elixir.MyApp.Item", "a"} => %{draft: "x"}, {"Elixir.MyApp.Item", 7} => %{}}
    record = record(components: components)
    assert {:ok, ^record} = Record.decode(Record.encode(record))
    assert Record.check(record, @expected) == {:ok, record}
  end

  test "check: another session is :error; another module or instance is :not_found" do
    assert Record.check(record(session: nil), @expected) == {:error, :wrong_session}
    assert Record.check(record(view_id: "phx-b"), @expected) == {:not_found, :wrong_view}
    other_module = %{record() | view: LiveStash.Test.View}
    assert Record.check(other_module, @expected) == {:not_found, :wrong_view}
    assert Record.check(record(version: 1), @expected) == {:error, :version_mismatch}
    assert Record.check(record(version: "v1"), @expected) == {:error, :version_mismatch}

    # A reload replay skips the instance, never the module; no :version skips that check.
    assert {:ok, _} = Record.check(record(view_id: "phx-b"), %{@expected | view_id: :any})
    assert {:ok, _} = Record.check(record(version: 3), %{@expected | version: nil})
    assert {:not_found, :wrong_view} = Record.check(other_module, %{@expected | view_id: :any})
  end

  def migrate(1, %{count: count}), do: %{count: count * 10, unit: :cents}
  def migrate(_from, _assigns), do: {:error, :unknown_version}

  describe "another version (issue 22)" do
    test "migrate converts an older record to the expected version" do
      expected = Map.put(@expected, :migrate, &__MODULE__.migrate/2)
      assert {:migrated, record} = Record.check(record(version: 1), expected)
      assert %Record{version: 2, assigns: %{count: 10, unit: :cents}} = record
    end

    test "a migrate that errs, raises, exits or returns no atom-keyed map is {:not_found, ...}" do
      for {migrate, why} <- [
            {fn _, _ -> {:error, :nope} end, :nope},
            {fn _, _ -> raise "boom" end, %RuntimeError{message: "boom"}},
            {fn _, _ -> exit(:gone) end, {:exit, :gone}},
            {fn _, _ -> %{"count" => 1} end, {:bad_return, %{"count" => 1}}},
            {fn _, _ -> [count: 1] end, {:bad_return, [count: 1]}}
          ] do
        expected = Map.put(@expected, :migrate, migrate)

        assert Record.check(record(version: 1), expected) ==
                 {:not_found, {:migration_failed, 1, 2, why}}
      end
    end

    test "a newer integer version is {:not_found, :newer_version}, never migrated down" do
      expected = Map.put(@expected, :migrate, &__MODULE__.migrate/2)
      assert Record.check(record(version: 3), expected) == {:not_found, {:newer_version, 3, 2}}
      assert Record.check(record(version: 3), @expected) == {:not_found, {:newer_version, 3, 2}}
    end
  end

  test "records of another format, binary or stored, are :malformed" do
    # The layouts written before records carried their instance and session.
    for old <- [{__MODULE__, 2, %{count: 1}}, {__MODULE__, 2, %{count: 1}, %{}}] do
      assert Record.decode(:erlang.term_to_binary(old, [:compressed])) == {:error, :malformed}
    end

    assert Record.decode("not a term") == {:error, :malformed}

    # A row another node's older LiveStash kept natively (ETS, Mnesia): no format field.
    stored = Map.drop(record(), [:format, :view_id, :session])
    assert Record.check(stored, @expected) == {:error, :malformed}
    assert Record.check(%{record() | format: 1}, @expected) == {:error, :malformed}
  end

  test "a stored record of a readable format with fields missing or extra is checked, not a crash" do
    # An ETS row handed over by a node of another release, a replicated Mnesia row: its
    # struct was built by that release's code, with the fields that code knew.
    older = Map.delete(record(), :components)
    assert {:ok, %Record{components: %{}, assigns: %{count: 1}}} = Record.check(older, @expected)

    newer = Map.put(record(), :written_by, "a later release")
    assert {:ok, checked} = Record.check(newer, @expected)
    assert checked == record()
  end

  test "a record bound as 0.1.0 bound sessions is this session's, to be written back bound anew" do
    legacy = :crypto.hash(:sha256, "alice, as 0.1.0 bound her")
    expected = Map.put(@expected, :legacy_session, legacy)

    assert Record.check(record(session: legacy), expected) == {:migrated, record()}
    assert Record.check(record(), expected) == {:ok, record()}

    # Another session's, in either binding, stays another session's.
    other = :crypto.hash(:sha256, "bob")
    assert Record.check(record(session: other), expected) == {:error, :wrong_session}
    assert Record.check(record(session: legacy), @expected) == {:error, :wrong_session}
  end

  test "malformed component entries are rejected, not half-trusted" do
    for bad <- [
          %{{:not_a_string, "a"} => %{}},
          %{{"Elixir.M", "a"} => :nope},
          %{"flat" => %{}},
          [:list]
        ] do
      assert {:ok, decoded} = Record.decode(Record.encode(record(components: bad)))
      assert Record.check(decoded, @expected) == {:error, :malformed}
    end
  end

  test "a record holding a function anywhere is refused, never decoded into a callable" do
    fun = fn -> :called end

    for assigns <- [
          %{count: fun},
          %{count: %{fun => 1}},
          %{count: {1, [2, {fun}]}},
          %{count: [1 | fun]},
          %{count: &Enum.map/2}
        ] do
      encoded = Record.encode(%{record() | assigns: assigns})
      assert Record.decode(encoded) == {:error, :malformed}, inspect(assigns)
    end

    components = %{{"Elixir.MyApp.Item", "a"} => %{draft: fun}}
    assert Record.decode(Record.encode(record(components: components))) == {:error, :malformed}
  end

  test "an authenticated record naming atoms this node never created decodes, creating them" do
    # Built by hand so the atoms do not exist before the decode: a module name (a struct
    # of a module not loaded here) and a plain atom.
    suffix = System.unique_integer([:positive])
    module = "Elixir.LiveStash.NotLoaded#{suffix}"
    status = "lazy_status_#{suffix}"
    atom = fn name -> <<119, byte_size(name)>> <> name end

    struct =
      <<116, 2::32>> <> atom.("__struct__") <> atom.(module) <> atom.("status") <> atom.(status)

    assigns = <<116, 1::32>> <> atom.("count") <> struct
    encoded = Record.encode(%{record() | assigns: %{}})
    {tag, 2, view, id, version, session, _assigns, components} = :erlang.binary_to_term(encoded)

    # The same tuple, its assigns spliced in as external-format bytes.
    head = :erlang.term_to_binary({tag, 2, view, id, version, session})
    <<131, 104, 6, fields::binary>> = head
    tail = :erlang.term_to_binary(components)
    <<131, tail::binary>> = tail
    binary = <<131, 104, 8>> <> fields <> assigns <> tail

    assert_raise ArgumentError, fn -> String.to_existing_atom(status) end
    assert {:ok, decoded} = Record.decode(binary)

    assert %{count: %{__struct__: struct_module, status: status_atom}} = decoded.assigns
    assert Atom.to_string(struct_module) == module
    assert Atom.to_string(status_atom) == status
  end
end
