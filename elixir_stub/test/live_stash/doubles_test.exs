defmodule LiveStash.DoublesTest do
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

  test "send_update needs an :id and messages the LiveView process" do
    assert LiveView.send_update(self(), SomeComponent, id: "a", x: 1) == :ok
    assert_received {:phoenix, :send_update, {{SomeComponent, "a"}, %{id: "a", x: 1}}}

    assert_raise ArgumentError, ~r/missing required :id/, fn ->
      LiveView.send_update(SomeComponent, x: 1)
    end
  end
end
