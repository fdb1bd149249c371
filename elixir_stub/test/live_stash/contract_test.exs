defmodule LiveStash.ContractTest do
  @moduledoc """
  Holds the shim to the one wire contract shared with the TypeScript client. A change
  to either side that the other does not follow breaks this suite or vitest's.
  """
  use ExUnit.Case, async: true

  alias LiveStash.{ConnectParams, Events}
  alias LiveStash.Test.{Client, JSON, View, ViewServer}
  import LiveStash.Test.Flow, only: [beat: 1]

  @contract_path Path.expand("../../../contract/live-stash.contract.json", __DIR__)
  @external_resource @contract_path
  @contract @contract_path |> File.read!() |> JSON.decode!()

  defmodule Browser do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.BrowserMemory,
      security_mode: :sign,
      recover_after_reload: true,
      stored_keys: [:count]
  end

  defmodule Server do
    use LiveStash.Test.View, stored_keys: [:count], recover_after_reload: true
  end

  defmodule MnesiaServer do
    use LiveStash.Test.View,
      adapter: LiveStash.Adapters.Mnesia,
      stored_keys: [:count],
      recover_after_reload: true
  end

  # The view that plays each flow, by the join params it ends in.
  @flow_views %{
    "browser" => Browser,
    "browser_leased" => Browser,
    "browser_keys" => Browser,
    "browser_keys_leased" => Browser,
    "browser_keys_next" => Browser,
    "ets" => Server,
    "mnesia" => MnesiaServer,
    "none" => Browser
  }
  # Flows whose server side needs a store started by another module's set-up.
  @elsewhere %{"redis" => LiveStash.ContractTest.Redis}
  # The server picks whole tokens or keyed stashes per join, so no one join pushes both:
  # flows mixing them (our client meeting an older server between two joins) are followed
  # by the client double only.
  @whole ["stash_state"]
  @keyed ["stash_keys"]

  defp event(key), do: Map.fetch!(@contract["events"], key)
  defp payload(key), do: Map.fetch!(@contract["payloads"], key)
  defp join(key), do: Map.fetch!(@contract["connect_params"], key)

  # Pushed payloads travel as JSON, so atom keys arrive as strings.
  defp wire(payload), do: Map.new(payload, fn {k, v} -> {to_string(k), v} end)

  defp same_shape?(actual, expected) do
    Enum.sort(Map.keys(actual)) == Enum.sort(Map.keys(expected)) and
      Enum.all?(expected, fn {k, v} -> is_binary(v) == is_binary(actual[k]) end)
  end

  test "event names and the param key are the contract's" do
    assert Events.init_browser_memory() == event("init_browser_memory")
    assert Events.stash_state() == event("stash_state")
    assert Events.init_ets() == event("init_ets")
    assert Events.init_mnesia() == event("init_mnesia")
    assert Events.init_redis() == event("init_redis")
    assert Events.lease() == event("lease")
    assert Events.stash_keys() == event("stash_keys")
    assert Events.param_key() == @contract["connect_param_key"]
    assert Events.accept_key() == @contract["accept_key"]
    assert Events.keyed_capability() == @contract["keyed_capability"]
  end

  test "browser mode pushes exactly the contract's payload shapes to the official client" do
    {:ok, pid} =
      ViewServer.start(Browser,
        params: Client.fresh_params(%{}, official: true),
        id: "phx-F1a2b3c4d5e6f7g8"
      )

    :ok = ViewServer.update(pid, {View, :put_count, [1]})

    assert [[init_name, init], [stash_name, stash]] = ViewServer.events(pid)
    assert init_name == event("init_browser_memory")
    assert stash_name == event("stash_state")
    assert wire(init) == payload("init_browser_memory_with_view")
    assert same_shape?(wire(stash), payload("stash_state_with_view"))
    assert stash.view == payload("stash_state_with_view")["view"]
  end

  test "browser mode pushes exactly the contract's keyed payload shape to our client" do
    {:ok, pid} =
      ViewServer.start(Browser, params: Client.fresh_params(), id: "phx-F1a2b3c4d5e6f7g8")

    :ok = ViewServer.update(pid, {View, :put_count, [1]})

    assert [[_init, _], [name, keyed]] = ViewServer.events(pid)
    assert name == event("stash_keys")
    assert same_shape?(wire(keyed), payload("stash_keys_with_view"))
    assert keyed.view == payload("stash_keys_with_view")["view"]
    assert [key] = keyed.names
    assert %{^key => token} = keyed.keys
    assert is_binary(keyed.manifest) and is_binary(token)
  end

  test "a keep-alive beat in browser mode pushes exactly the contract's lease shape" do
    {:ok, pid} =
      ViewServer.start(Browser, params: Client.fresh_params(), id: "phx-F1a2b3c4d5e6f7g8")

    :ok = ViewServer.update(pid, {View, :put_count, [1]})
    beat(pid)

    assert [name, lease] = List.last(ViewServer.events(pid))
    assert name == event("lease")
    assert same_shape?(wire(lease), payload("lease_with_view"))
    assert lease.view == payload("lease_with_view")["view"]
    assert is_integer(lease.ttl)
  end

  test "ETS mode pushes exactly the contract's payload shape" do
    {:ok, pid} =
      ViewServer.start(Server, params: Client.fresh_params(), id: "phx-F1a2b3c4d5e6f7g8")

    assert [[name, init]] = ViewServer.events(pid)
    assert name == event("init_ets")
    assert same_shape?(wire(init), payload("init_ets_with_view"))
    assert init.view == payload("init_ets_with_view")["view"]
  end

  test "Mnesia mode pushes exactly the contract's payload shape" do
    {:ok, pid} =
      ViewServer.start(MnesiaServer, params: Client.fresh_params(), id: "phx-F1a2b3c4d5e6f7g8")

    assert [[name, init]] = ViewServer.events(pid)
    assert name == event("init_mnesia")
    assert same_shape?(wire(init), payload("init_mnesia_with_view"))
    assert init.view == payload("init_mnesia_with_view")["view"]
  end

  test "every contract connect-param shape is read as intended" do
    with_mounts = &Map.put(&1, "_mounts", 1)

    assert %ConnectParams{stash: nil} = ConnectParams.parse(with_mounts.(join("none")))

    assert %ConnectParams{stash: {:browser, token}, restored?: false, reconnected?: true} =
             ConnectParams.parse(with_mounts.(join("browser")))

    assert token == join("browser")["liveStash"]["stashedState"]

    assert %ConnectParams{stash: {:browser, ^token}, restored?: true} =
             ConnectParams.parse(join("browser_restored"))

    lease = join("browser_leased")["liveStash"]["lease"]

    assert %ConnectParams{stash: {:browser, ^token}, lease: ^lease, keyed?: true} =
             ConnectParams.parse(with_mounts.(join("browser_leased")))

    keyed = join("browser_keys")["liveStash"]
    {manifest, keys} = {keyed["stashedManifest"], keyed["stashedKeys"]}

    assert %ConnectParams{stash: {:browser_keys, ^manifest, ^keys}, lease: nil, keyed?: true} =
             ConnectParams.parse(with_mounts.(join("browser_keys")))

    assert %ConnectParams{stash: {:browser_keys, ^manifest, ^keys}, lease: ^lease} =
             ConnectParams.parse(with_mounts.(join("browser_keys_leased")))

    ets = join("ets")["liveStash"]
    {hint, id} = {ets["node"], ets["stashId"]}
    assert %ConnectParams{stash: {:server, ^hint, ^id}} = ConnectParams.parse(join("ets"))

    assert %ConnectParams{stash: {:server, ^hint, ^id}, restored?: true} =
             ConnectParams.parse(join("ets_restored"))

    assert %ConnectParams{stash: {:server, nil, "r7Q2m9LcX4bN1tZe"}} =
             ConnectParams.parse(join("redis"))

    assert %ConnectParams{stash: {:server, nil, "m5T8w1KdY3cV6pQa"}} =
             ConnectParams.parse(join("mnesia"))
  end

  @tag :capture_log
  test "the contract's example params (foreign tokens and ids) are refused without crashing" do
    for {key, view, status} <- [
          {"browser", Browser, :error},
          {"browser_restored", Browser, :error},
          {"browser_leased", Browser, :error},
          {"browser_keys", Browser, :error},
          {"browser_keys_leased", Browser, :error},
          {"browser_keys_next", Browser, :error},
          {"ets", Server, :not_found},
          {"ets_restored", Server, :not_found},
          {"mnesia", MnesiaServer, :not_found},
          {"none", Browser, :not_found}
        ] do
      params = Map.put(join(key), "_mounts", 1)
      {:ok, pid} = ViewServer.start(view, params: params)

      assert ViewServer.assigns(pid).recover_status == status,
             "#{key}: #{inspect(ViewServer.assigns(pid))}"
    end
  end

  # Some flows (a lease for a view that holds no token) are nothing the server would push,
  # so the test below cannot play them; the client double must still follow them all.
  test "the suite's client double hands back exactly what every flow says" do
    for flow <- @contract["flows"] do
      events = for [e, p] <- flow["push"], do: [event(e), atom_keys(payload(p))]
      expected = join(flow["then_join_params"])["liveStash"]
      assert Client.join_params(events)["liveStash"] == expected, flow["about"]
    end
  end

  # The shim pushes payloads with atom keys, as the client double expects them.
  defp atom_keys(payload), do: Map.new(payload, fn {k, v} -> {String.to_existing_atom(k), v} end)

  test "each flow: what the server pushes, handed back as the contract says, recovers" do
    for %{"then_join_params" => join_key} = flow <- @contract["flows"], not mixed?(flow) do
      case Map.fetch(@flow_views, join_key) do
        {:ok, view} ->
          play(flow, view)

        :error ->
          assert Map.has_key?(@elsewhere, join_key), "no ExUnit module plays: #{flow["about"]}"
      end
    end
  end

  defp pushes?(flow, events), do: Enum.any?(flow["push"], fn [event, _] -> event in events end)
  defp mixed?(flow), do: pushes?(flow, @whole) and pushes?(flow, @keyed)

  # A flow of whole tokens is what the server pushes to a join that announced nothing.
  defp play(%{"then_join_params" => join_key} = flow, view) do
    official = pushes?(flow, @whole)

    {:ok, pid} =
      ViewServer.start(view,
        params: Client.fresh_params(%{}, official: official),
        id: "phx-F1a2b3c4d5e6f7g8"
      )

    # The server does what makes it push each of the flow's events, in order.
    flow["push"]
    |> Enum.with_index(1)
    |> Enum.each(fn {[event, _payload], n} -> act(pid, event, n) end)

    params = Client.join_params(ViewServer.events(pid))
    expected = join(join_key)["liveStash"]

    assert Enum.sort(Map.keys(params["liveStash"])) == Enum.sort(Map.keys(expected)),
           flow["about"]

    {:ok, pid} = ViewServer.start(view, params: params, id: "phx-F1a2b3c4d5e6f7g8")
    expected_status = if join_key == "none", do: :not_found, else: :recovered
    assert ViewServer.assigns(pid).recover_status == expected_status, flow["about"]
  end

  defp act(pid, "stash_state", n), do: :ok = ViewServer.update(pid, {View, :put_count, [n]})
  defp act(pid, "stash_keys", n), do: act(pid, "stash_state", n)
  defp act(pid, "lease", _n), do: beat(pid)

  defp act(pid, "init_browser_memory", _n),
    do: :ok = ViewServer.update(pid, &LiveStash.reset_stash/1)

  # Pushed by every server-side mount; the stash gives the row it points at something to hold.
  defp act(pid, server_init, n) when server_init in ["init_ets", "init_mnesia", "init_redis"],
    do: act(pid, "stash_state", n)
end

defmodule LiveStash.ContractTest.Redis do
  @moduledoc "The contract's Redis flows, against a real redis-server."
  use ExUnit.Case, async: false

  import LiveStash.Test.RedisCase

  alias LiveStash.Test.{Client, Define, JSON, View, ViewServer}

  @contract_path Path.expand("../../../contract/live-stash.contract.json", __DIR__)
  @external_resource @contract_path
  @contract @contract_path |> File.read!() |> JSON.decode!()

  @view LiveStash.ContractTest.Redis.Counter

  setup_all do
    context = start_redis!()
    Define.view!(@view, adapter: LiveStash.Adapters.Redis, stored_keys: [:count])
    context
  end

  defp join(key), do: Map.fetch!(@contract["connect_params"], key)

  test "Redis mode pushes exactly the contract's payload shape" do
    {:ok, pid} =
      ViewServer.start(@view, params: Client.fresh_params(), id: "phx-F1a2b3c4d5e6f7g8")

    expected = @contract["payloads"]["init_redis_with_view"]

    assert [[name, init]] = ViewServer.events(pid)
    assert name == @contract["events"]["init_redis"]

    assert init |> Map.keys() |> Enum.map(&to_string/1) |> Enum.sort() ==
             Enum.sort(Map.keys(expected))

    assert init.view == expected["view"] and is_binary(init.stashId)
  end

  test "the contract's example Redis params (a foreign id) are :not_found without crashing" do
    {:ok, pid} = ViewServer.start(@view, params: Map.put(join("redis"), "_mounts", 1))
    assert ViewServer.assigns(pid).recover_status == :not_found
  end

  test "each Redis flow: what the server pushes, handed back as the contract says, recovers" do
    flows = for %{"then_join_params" => "redis"} = flow <- @contract["flows"], do: flow
    assert flows != []

    for flow <- flows do
      {:ok, pid} =
        ViewServer.start(@view, params: Client.fresh_params(), id: "phx-F1a2b3c4d5e6f7g8")

      :ok = ViewServer.update(pid, {View, :put_count, [5]})

      params = Client.join_params(ViewServer.events(pid))
      assert Map.keys(params["liveStash"]) == Map.keys(join("redis")["liveStash"]), flow["about"]

      {:ok, pid} = ViewServer.start(@view, params: params, id: "phx-F1a2b3c4d5e6f7g8")
      assert %{recover_status: :recovered, count: 5} = ViewServer.assigns(pid), flow["about"]
    end
  end
end
