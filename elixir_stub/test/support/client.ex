defmodule LiveStash.Test.Client do
  @moduledoc """
  What the browser client does with the pushed events, per the contract's flows: the
  latest stash-state / init-ets / init-redis / init-mnesia payload is handed back as that view's `liveStash` join
  param, and init-browser-memory clears it.
  """

  alias LiveStash.Events

  @doc "Join params for the next mount of the view that received `events`."
  def join_params(events, opts \\ []) do
    entry =
      Enum.reduce(events, %{}, fn
        [name, %{assigns: token}], _acc when name == "live-stash:stash-state" ->
          %{"stashedState" => token}

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

  @doc "Join params of a first visit."
  def fresh_params(entry \\ %{}), do: %{"_mounts" => 0, Events.param_key() => entry}
end
