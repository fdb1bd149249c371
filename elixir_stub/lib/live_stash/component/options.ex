defmodule LiveStash.Component.Options do
  @moduledoc """
  Validates the options given to `use LiveStash.Component`, when the component
  compiles. The stash itself (adapter, ttl, version, secret and the other
  `LiveStash.Options`) belongs to the parent LiveView, so those options are refused here
  with a pointer to where they go.

      use LiveStash.Component, stored_keys: [:editing, :draft], auto_stash: true

  ## Options

    * `:stored_keys` - required, no default. The component's assigns to keep: a
      non-empty list of atoms. Example: `stored_keys: [:editing, :draft]`
    * `:auto_stash` - default `false`. When `true`, the component stashes by itself after
      its `update/2` and `handle_event/3` callbacks, with its parent's next coalesced
      stash (the parent's `:auto_stash_interval`; with BrowserMemory at once, see
      `LiveStash.AutoStash`), so it needs no `LiveStash.stash/1` calls.
      Example: `auto_stash: true`
  """

  @enforce_keys [:stored_keys]
  defstruct stored_keys: [], auto_stash: false

  @type t :: %__MODULE__{stored_keys: [atom()], auto_stash: boolean()}

  @own [:stored_keys, :auto_stash]
  @from_parent LiveStash.Options.known() -- @own

  @doc """
  Returns the validated options as a struct, or raises `ArgumentError`.

      LiveStash.Component.Options.validate!(stored_keys: [:draft])
      #=> %LiveStash.Component.Options{stored_keys: [:draft], auto_stash: false}
  """
  @spec validate!(keyword()) :: t()
  def validate!(opts) when is_list(opts) do
    unless Keyword.keyword?(opts), do: invalid!(opts)
    Enum.each(Keyword.keys(opts), &known!/1)

    %__MODULE__{
      stored_keys: stored_keys!(Keyword.get(opts, :stored_keys)),
      auto_stash: auto_stash!(Keyword.get(opts, :auto_stash, false))
    }
  end

  def validate!(other), do: invalid!(other)

  defp known!(key) when key in @own, do: :ok

  defp known!(key) when key in @from_parent do
    raise ArgumentError,
          "#{inspect(key)} is not a LiveStash.Component option: a component's state travels " <>
            "in its parent LiveView's stash, so set #{inspect(key)} on the parent's `use LiveStash`"
  end

  defp known!(key) do
    raise ArgumentError,
          "unknown option #{inspect(key)} given to use LiveStash.Component. " <>
            "Known options are: :stored_keys, :auto_stash"
  end

  defp stored_keys!([_ | _] = keys) do
    if Enum.all?(keys, &is_atom/1),
      do: Enum.uniq(keys),
      else: stored_keys!(nil)
  end

  defp stored_keys!(other) do
    raise ArgumentError,
          "use LiveStash.Component needs :stored_keys, a non-empty list of atoms naming the " <>
            "component's assigns to keep, e.g. `stored_keys: [:editing, :draft]`, got: #{inspect(other)}"
  end

  defp auto_stash!(flag) when is_boolean(flag), do: flag

  defp auto_stash!(other),
    do: raise(ArgumentError, ":auto_stash must be true or false, got: #{inspect(other)}")

  defp invalid!(other) do
    raise ArgumentError,
          "use LiveStash.Component expects a keyword list, e.g. " <>
            "`use LiveStash.Component, stored_keys: [:draft]`, got: #{inspect(other)}"
  end
end
