defmodule LiveStash.Test.Client do
  @moduledoc """
  What the browser client does with the pushed events, per the contract's flows: the
  latest stash-state / init-ets / init-redis / init-mnesia payload is handed back as that view's `liveStash` join
  param (with the latest lease for that token), and init-browser-memory clears it. A stash-keys
  payload becomes `stashedManifest` plus a token for each key it lists: the one pushed, else the
  one held from the previous stash-keys. Our client's every join announces `"accept" => ["keys"]`.
  `held:` the view's previous join params; `official: true` plays the official client, which ignores
  leases and stash-keys and announces nothing.
  """

  alias LiveStash.Events

  @stash_keys Events.stash_keys()
  @accept %{Events.accept_key() => [Events.keyed_capability()]}

  @doc "Join params for the next mount of the view that received `events`."
  def join_params(events, opts \\ []) do
    entry =
      Enum.reduce(events, held(opts[:held]), fn
        [name, %{assigns: token}], _acc when name == "live-stash:stash-state" ->
          %{"stashedState" => token}

        [name, %{manifest: _, keys: _, names: _} = push], acc when name == @stash_keys ->
          if opts[:official], do: acc, else: keyed(push, acc)

        # A lease rides next to the token(s) it extends; alone it is dropped.
        [name, %{lease: lease}], acc
        when name == "live-stash:lease" and
               (is_map_key(acc, "stashedState") or is_map_key(acc, "stashedManifest")) ->
          if opts[:official], do: acc, else: Map.put(acc, "lease", lease)

        [name, %{node: node, stashId: id}], _acc when name == "live-stash:init-ets" ->
          %{"node" => node, "stashId" => id}

        [name, %{stashId: id}], _acc
        when name in ["live-stash:init-redis", "live-stash:init-mnesia"] ->
          %{"stashId" => id}

        [name, _payload], _acc when name == "live-stash:init-browser-memory" ->
          %{}

        _other, acc ->
          acc
      end)

    entry = if opts[:restored], do: Map.put(entry, "restored", true), else: entry
    %{"_mounts" => Keyword.get(opts, :mounts, 1), Events.param_key() => announce(entry, opts)}
  end

  # The new manifest, each listed key's token (pushed, else held); no lease, no unlisted key.
  # Pushed payloads travel as JSON, so key names arrive as strings whatever the server used.
  defp keyed(%{manifest: manifest, keys: keys, names: names}, acc) do
    before = if is_map_key(acc, "stashedManifest"), do: acc["stashedKeys"], else: %{}
    pushed = Map.new(keys, fn {name, token} -> {to_string(name), token} end)

    tokens =
      for name <- Enum.map(names, &to_string/1),
          token = Map.get(pushed, name, before[name]),
          token != nil,
          into: %{},
          do: {name, token}

    %{"stashedManifest" => manifest, "stashedKeys" => tokens}
  end

  defp announce(entry, opts), do: if(opts[:official], do: entry, else: Map.merge(entry, @accept))

  # What the browser kept from the view's previous join: a recovered view is not sent its
  # token again, so the client still holds it.
  defp held(%{} = params) do
    case Map.get(params, Events.param_key()) do
      %{} = entry -> Map.drop(entry, ["restored" | Map.keys(@accept)])
      _ -> %{}
    end
  end

  defp held(_), do: %{}

  @doc "Join params of our client's first visit (`official: true`: the official client's)."
  def fresh_params(entry \\ %{}, opts \\ []),
    do: %{"_mounts" => 0, Events.param_key() => announce(entry, opts)}
end
