defmodule LiveStash.Doubles.PhoenixTest do
  @moduledoc "Keeps the Phoenix test doubles honest about the documented behaviour they copy."
  use ExUnit.Case, async: true

  alias Phoenix.LiveView
  alias Phoenix.LiveView.Socket
  alias Phoenix.Token

  @endpoint LiveStash.Test.Endpoint

  test "get_connect_params: nil when disconnected, params during mount, raises after" do
    assert LiveView.get_connect_params(%Socket{private: %{connect_params: %{"a" => 1}}}) == nil

    connected = %Socket{transport_pid: self(), private: %{connect_params: %{"a" => 1}}}
    assert LiveView.connected?(connected)
    assert LiveView.get_connect_params(connected) == %{"a" => 1}

    assert_raise RuntimeError, ~r/outside of/, fn ->
      LiveView.get_connect_params(%Socket{transport_pid: self(), private: %{}})
    end
  end

  test "put_private refuses reserved keys; push_event queues events" do
    assert_raise ArgumentError, fn -> LiveView.put_private(%Socket{}, :lifecycle, 1) end
    socket = LiveView.push_event(%Socket{}, "a", %{x: 1}) |> LiveView.push_event("b", %{})
    assert socket.private.live_temp.push_events == [["b", %{}], ["a", %{x: 1}]]
  end

  test "attach_hook validates the stage and refuses duplicates" do
    socket = %Socket{private: %{lifecycle: LiveView.__lifecycle__([])}}
    socket = LiveView.attach_hook(socket, :x, :handle_info, fn _, s -> {:cont, s} end)

    assert_raise ArgumentError, fn ->
      LiveView.attach_hook(socket, :x, :handle_info, fn _, s -> {:cont, s} end)
    end

    assert_raise ArgumentError, fn -> LiveView.attach_hook(socket, :y, :mount, fn s -> s end) end

    assert_raise RuntimeError, fn ->
      LiveView.attach_hook(socket, :z, :handle_params, fn _, _, s -> {:cont, s} end)
    end
  end

  test "assign tracks changes only for new values" do
    socket = Phoenix.Component.assign(%Socket{}, :a, 1)
    assert socket.assigns.__changed__ == %{a: true}
    cleared = %{socket | assigns: %{socket.assigns | __changed__: %{}}}
    assert Phoenix.Component.assign(cleared, :a, 1) == cleared

    # assign/2 takes a map or a keyword list, pair by pair
    assert Phoenix.Component.assign(cleared, %{a: 1, b: 2}).assigns.__changed__ == %{b: true}
    assert Phoenix.Component.assign(cleared, b: 2).assigns.b == 2
  end

  test "Phoenix.Token: round trips, :expired, :invalid, :missing, max_age override" do
    for {seal, open} <- [{&Token.sign/4, &Token.verify/4}, {&Token.encrypt/4, &Token.decrypt/4}] do
      token = seal.(@endpoint, "salt", {:data, 1}, max_age: 60)
      assert open.(@endpoint, "salt", token, []) == {:ok, {:data, 1}}
      assert open.(@endpoint, "other salt", token, []) == {:error, :invalid}
      assert open.(@endpoint, "salt", token <> "x", []) == {:error, :invalid}
      assert open.(@endpoint, "salt", "garbage", []) == {:error, :invalid}
      assert open.(@endpoint, "salt", nil, []) == {:error, :missing}
      assert open.(@endpoint, "salt", token, max_age: 0) == {:error, :expired}

      old = seal.(@endpoint, "salt", 1, max_age: 60, signed_at: System.system_time(:second) - 61)
      assert open.(@endpoint, "salt", old, []) == {:error, :expired}
      assert open.(@endpoint, "salt", old, max_age: :infinity) == {:ok, 1}
    end
  end

  test "Phoenix.Token: derived keys are cached in Plug.Crypto.Keys, one per key base and salt" do
    salt = "salt-#{System.unique_integer([:positive])}"
    base = @endpoint.config(:secret_key_base)
    # Other tests sign at the same time: count this test's salts only.
    entries = fn salt -> length(:ets.match(Plug.Crypto.Keys, {{:_, salt, :_, :_, :_}, :_})) end

    for _ <- 1..3, do: Token.sign(@endpoint, salt, 1)
    Token.encrypt(@endpoint, salt, 1)
    assert entries.(salt) == 1

    # Keyed as Plug.Crypto.KeyGenerator keys it: {secret, salt, iterations, length, digest}.
    assert [{_, key}] = :ets.lookup(Plug.Crypto.Keys, {base, salt, 1000, 32, :sha256})
    assert key == :crypto.pbkdf2_hmac(:sha256, base, salt, 1000, 32)

    Token.sign(String.duplicate("another key base", 2), salt, 1)
    assert entries.(salt) == 2
  end

  test "Phoenix.Token: a verified payload is decoded without :safe, refusing functions" do
    # Plug.Crypto decodes with non_executable_binary_to_term/1 (no :safe): the atoms a
    # verified payload names are created. Signed by hand, so the atom is new here.
    name = "double_atom_#{System.unique_integer([:positive])}"
    body = <<131, 104, 3, 119, byte_size(name)>> <> name <> <<97, 0, 100, 0, 8>> <> "infinity"
    Token.sign(@endpoint, "salt", nil)
    base = @endpoint.config(:secret_key_base)
    [{_, key}] = :ets.lookup(Plug.Crypto.Keys, {base, "salt", 1000, 32, :sha256})
    b64 = &Base.url_encode64(&1, padding: false)
    token = "SFMyNTY." <> b64.(body) <> "." <> b64.(:crypto.mac(:hmac, :sha256, key, body))

    assert_raise ArgumentError, fn -> String.to_existing_atom(name) end
    assert {:ok, atom} = Token.verify(@endpoint, "salt", token)
    assert Atom.to_string(atom) == name

    # ...but a payload holding a function raises, as it does there.
    for data <- [fn -> :never end, %{a: [1, {&Enum.map/2}]}] do
      signed = Token.sign(@endpoint, "salt", data)
      assert_raise ArgumentError, fn -> Token.verify(@endpoint, "salt", signed) end
    end
  end

  test "ViewServer: socket.id as LiveView sets it, for root and nested views" do
    alias LiveStash.Test.ViewServer
    view = LiveStash.Test.SignedBrowserCounter

    # A root view: the id its dead render put in the page, which it joins as "lv:<id>".
    {:ok, root} = ViewServer.start(view, params: nil, id: "phx-F1a2b3c4d5e6f7g8")
    assert %Socket{id: "phx-F1a2b3c4d5e6f7g8", parent_pid: nil} = ViewServer.socket(root)

    # By default a new one, shaped like Phoenix.LiveView.Utils.random_id/0's.
    {:ok, other} = ViewServer.start(view, params: nil)
    assert ViewServer.socket(other).id =~ ~r/^phx-[A-Za-z0-9_-]{16}$/

    # A nested view: to_string of live_render's :id, with its parent's pid.
    for {given, id} <- [{"a", "a"}, {:b, "b"}, {7, "7"}] do
      {:ok, child} = ViewServer.start(view, params: nil, live_render: [id: given])
      assert %Socket{id: ^id, parent_pid: parent} = ViewServer.socket(child)
      assert parent == self()
    end

    assert {:error, {%ArgumentError{message: message}, _}} =
             ViewServer.start(view, params: nil, live_render: [])

    assert message =~ "an :id is required when rendering child LiveView"
  end

  test "send_update needs an :id and messages the LiveView process" do
    assert LiveView.send_update(self(), SomeComponent, id: "a", x: 1) == :ok
    assert_received {:phoenix, :send_update, {{SomeComponent, "a"}, %{id: "a", x: 1}}}

    assert_raise ArgumentError, ~r/missing required :id/, fn ->
      LiveView.send_update(SomeComponent, x: 1)
    end
  end
end
