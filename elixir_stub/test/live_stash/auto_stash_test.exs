defmodule LiveStash.AutoStashTest do
  use ExUnit.Case, async: true

  alias LiveStash.Test.{Client, View, ViewServer}

  @stash "live-stash:stash-state"

  # Declared through `use LiveStash` exactly as an app would: the option must pass validation.
  defmodule AutoBrowser do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      stored_keys: [:count],
      auto_stash: true
  end

  defmodule AutoETS do
    use LiveStash.Test.View, stored_keys: [:count], auto_stash: true
  end

  test "auto_stash stashes after each render without calling stash/1" do
    {:ok, pid} =
      ViewServer.start(AutoBrowser,
        params: Client.fresh_params(%{}, official: true),
        id: "phx-auto"
      )

    # the first render stashes the initial value
    assert [%{assigns: _}] = ViewServer.payloads(pid, @stash)

    :ok = ViewServer.update(pid, {View, :set_count, [1]})
    :ok = ViewServer.update(pid, {View, :set_count, [2]})
    assert length(ViewServer.payloads(pid, @stash)) == 3

    # a render with the stored value unchanged writes nothing (fingerprint)
    :ok = ViewServer.update(pid, &Phoenix.Component.assign(&1, :other, :changed))
    assert length(ViewServer.payloads(pid, @stash)) == 3

    params = Client.join_params(ViewServer.events(pid))
    {:ok, pid} = ViewServer.start(AutoBrowser, params: params, id: "phx-auto")
    assert %{recover_status: :recovered, count: 2} = ViewServer.assigns(pid)
  end

  test "auto_stash works with the ETS adapter end to end" do
    {:ok, pid} = ViewServer.start(AutoETS, params: Client.fresh_params(), id: "phx-auto")
    :ok = ViewServer.update(pid, {View, :set_count, [42]})
    params = Client.join_params(ViewServer.events(pid))
    ViewServer.stop(pid)

    {:ok, pid} = ViewServer.start(AutoETS, params: params, id: "phx-auto")
    assert %{recover_status: :recovered, count: 42} = ViewServer.assigns(pid)
  end

  test "without auto_stash nothing is stashed until stash/1 is called" do
    defmodule Manual do
      use LiveStash.Test.View,
        adapter: LiveStash.Adapters.BrowserMemory,
        security_mode: :sign,
        stored_keys: [:count]
    end

    {:ok, pid} = ViewServer.start(Manual, params: Client.fresh_params())
    :ok = ViewServer.update(pid, {View, :set_count, [1]})
    assert ViewServer.payloads(pid, @stash) == []
  end
end
