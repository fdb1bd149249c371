defmodule LiveStash.Test.Client do
  @moduledoc """
  What the browser client does with the pushed events, per the contract's flows: the
  latest stash-state / init-ets / init-redis / init-mnesia payload is handed back as that view's `liveStash` join
  param (with the latest lease for that token), and init-browser-memory clears it.
  `held:` the view's previous join params; `official: true` plays the official client, which ignores leases.
  """

  alias LiveStash.Events

  @doc "Join params for the next mount of the view that received `events`."
  def join_params(events, opts \\ []) do
    entry =
      Enum.reduce(events, held(opts[:held]), fn
        [name, %{assigns: token}], _acc when name == "live-stash:stash-state" ->
          %{"stashedState" => token}

        # A lease rides next to the token it extends; alone it is dropped.
        [name, %{lease: lease}], %{"stashedState" => _} = acc when name == "live-stash:lease" ->
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
    %{"_mounts" => Keyword.get(opts, :mounts, 1), Events.param_key() => entry}
  end

  # What the browser kept from the view's previous join: a recovered view is not sent its
  # token again, so the client still holds it.
  defp held(%{} = params) do
    case Map.get(params, Events.param_key()) do
      %{} = entry -> Map.delete(entry, "restored")
      _ -> %{}
    end
  end

  defp held(_), do: %{}

  @doc "Join params of a first visit."
  def fresh_params(entry \\ %{}), do: %{"_mounts" => 0, Events.param_key() => entry}
end
