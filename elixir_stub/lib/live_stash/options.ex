defmodule LiveStash.Options do
  @moduledoc false
  # Validates the options given to `use LiveStash`. Users read them in the @doc of
  # `LiveStash.__using__/1` (its "## Options" section, one entry per option in
  # `known/0`, which the docs test checks): a new option is documented there.

  alias LiveStash.Adapters.{BrowserMemory, ETS}

  @enforce_keys [:stored_keys]
  defstruct stored_keys: [],
            adapter: ETS,
            ttl: 300,
            version: nil,
            secret: "live_stash",
            session_key: nil,
            security_mode: nil,
            auto_stash: false,
            auto_stash_interval: 500,
            recover_after_reload: false,
            migrate: nil,
            # What an adapter written to the official `LiveStash.Adapter` gets in
            # `init_stash/3`: every option but :adapter. nil for the built-in adapters.
            adapter_opts: nil

  @type t :: %__MODULE__{}

  @known [
    :stored_keys,
    :adapter,
    :ttl,
    :version,
    :secret,
    :session_key,
    :security_mode,
    :auto_stash,
    :auto_stash_interval,
    :recover_after_reload,
    :migrate
  ]

  @doc """
  The option names `use LiveStash` accepts (each documented above).
  `use LiveStash.Component` refuses the view-level ones with a pointer to the parent.

      iex> :ttl in LiveStash.Options.known()
      true
  """
  @spec known() :: [atom()]
  def known, do: @known

  @doc """
  Returns the validated options as a struct, or raises `ArgumentError`.

      LiveStash.Options.validate!(stored_keys: [:count], ttl: 600)
      #=> %LiveStash.Options{stored_keys: [:count], ttl: 600, adapter: LiveStash.Adapters.ETS, ...}
  """
  @spec validate!(keyword()) :: t()
  def validate!(opts) when is_list(opts) do
    unless Keyword.keyword?(opts) do
      raise ArgumentError,
            "use LiveStash expects a keyword list, e.g. `use LiveStash, stored_keys: [:count]`, " <>
              "got: #{inspect(opts)}"
    end

    if official_adapter?(Keyword.get(opts, :adapter, ETS)),
      do: validate_official!(opts),
      else: validate_internal!(opts)
  end

  def validate!(other) do
    raise ArgumentError,
          "use LiveStash expects a keyword list, e.g. `use LiveStash, stored_keys: [:count]`, " <>
            "got: #{inspect(other)}"
  end

  @doc false
  # True for a module implementing the official behaviour (run by `LiveStash.Official`)
  # rather than the internal one.
  # Called when a LiveView compiles, so it waits for an adapter compiled alongside it.
  @spec official_adapter?(term()) :: boolean()
  def official_adapter?(adapter) when is_atom(adapter) and not is_nil(adapter) do
    match?({:module, _}, Code.ensure_compiled(adapter)) and
      function_exported?(adapter, :init_stash, 3) and
      not function_exported?(adapter, :fetch, 2)
  end

  def official_adapter?(_other), do: false

  defp validate_internal!(opts) do
    check_unknown!(opts)
    options = struct!(__MODULE__, stored_keys: stored_keys!(opts))

    opts
    |> Keyword.delete(:stored_keys)
    |> Enum.reduce(options, fn {key, value}, acc -> Map.put(acc, key, check!(key, value)) end)
    |> check_adapter_active!()
    |> check_security_mode!()
    |> check_migrate_version!()
  end

  # As the official core: only :stored_keys must be there (in any form the adapter reads,
  # e.g. `[theme: :session]`); every option but :adapter goes to the adapter's
  # `init_stash/3`, which judges them. The auto_stash ones are also checked here, since
  # LiveStash runs auto_stash for the adapter.
  defp validate_official!(opts) do
    unless Keyword.has_key?(opts, :stored_keys) do
      raise ArgumentError,
            "use LiveStash needs :stored_keys, the assigns to keep, " <>
              "e.g. `use LiveStash, adapter: #{inspect(opts[:adapter])}, stored_keys: [:count]`"
    end

    %__MODULE__{
      stored_keys: key_names(opts[:stored_keys]),
      adapter: opts[:adapter],
      adapter_opts: Keyword.delete(opts, :adapter),
      auto_stash: check!(:auto_stash, Keyword.get(opts, :auto_stash, false)),
      auto_stash_interval:
        check!(:auto_stash_interval, Keyword.get(opts, :auto_stash_interval, 500))
    }
    |> check_adapter_active!()
  end

  # The assign names in `stored_keys: [:count]` or `stored_keys: [theme: :session]`.
  defp key_names(keys) when is_list(keys) do
    for key <- keys, name = key_name(key), do: name
  end

  defp key_names(_keys), do: []

  defp key_name({name, _scope}) when is_atom(name), do: name
  defp key_name(name) when is_atom(name), do: name
  defp key_name(_other), do: nil

  @doc """
  The adapters the app has switched on; ETS is always on.

      # config :live_stash, adapters: [LiveStash.Adapters.Redis]
      LiveStash.Options.active_adapters()
      #=> [LiveStash.Adapters.ETS, LiveStash.Adapters.Redis]
  """
  @spec active_adapters() :: [module()]
  def active_adapters do
    configured = Application.get_env(:live_stash, :adapters, [])
    Enum.uniq([ETS | List.wrap(configured)])
  end

  defp check_unknown!(opts) do
    case Keyword.keys(opts) -- @known do
      [] ->
        :ok

      unknown ->
        raise ArgumentError,
              "unknown option(s) #{inspect(unknown)} given to use LiveStash. " <>
                "Known options are: #{Enum.map_join(@known, ", ", &inspect/1)}"
    end
  end

  defp stored_keys!(opts) do
    case Keyword.fetch(opts, :stored_keys) do
      {:ok, [_ | _] = keys} ->
        if Enum.all?(keys, &is_atom/1) do
          Enum.uniq(keys)
        else
          raise ArgumentError,
                ":stored_keys must be a list of atoms naming assigns, e.g. [:count, :user_id], " <>
                  "got: #{inspect(keys)}"
        end

      {:ok, other} ->
        raise ArgumentError,
              ":stored_keys must be a non-empty list of atoms, e.g. `stored_keys: [:count]`, " <>
                "got: #{inspect(other)}"

      :error ->
        raise ArgumentError,
              "use LiveStash needs :stored_keys, the assigns to keep, " <>
                "e.g. `use LiveStash, stored_keys: [:count, :user_id]`"
    end
  end

  defp check!(:adapter, adapter) when is_atom(adapter) and not is_nil(adapter), do: adapter

  defp check!(:ttl, ttl) when (is_integer(ttl) or is_float(ttl)) and ttl > 0, do: ttl

  defp check!(:ttl, ttl) do
    raise ArgumentError,
          ":ttl must be a positive number of seconds, e.g. `ttl: 300`, got: #{inspect(ttl)}"
  end

  defp check!(:version, version), do: version

  defp check!(:secret, secret) when is_binary(secret) and byte_size(secret) > 0, do: secret

  defp check!(:secret, secret) do
    raise ArgumentError,
          ":secret must be a non-empty string (it salts the stash keys), got: #{inspect(secret)}"
  end

  defp check!(:session_key, key) when is_atom(key) or is_binary(key), do: key

  defp check!(:session_key, key) do
    raise ArgumentError,
          ":session_key must name a session entry as an atom or string, e.g. " <>
            "`session_key: \"user_token\"`, got: #{inspect(key)}"
  end

  defp check!(:security_mode, mode) when mode in [:sign, :encrypt], do: mode

  defp check!(:security_mode, mode) do
    raise ArgumentError,
          ":security_mode must be :sign or :encrypt " <>
            "(:encrypt hides the stashed values from the browser), got: #{inspect(mode)}"
  end

  defp check!(flag, value) when flag in [:auto_stash, :recover_after_reload] do
    if is_boolean(value) do
      value
    else
      raise ArgumentError, "#{inspect(flag)} must be true or false, got: #{inspect(value)}"
    end
  end

  defp check!(:auto_stash_interval, ms) when is_integer(ms) and ms >= 0, do: ms

  defp check!(:auto_stash_interval, ms) do
    raise ArgumentError,
          ":auto_stash_interval must be a whole number of milliseconds, 0 or more " <>
            "(at most one auto stash per interval; 0 stashes after every render), " <>
            "e.g. `auto_stash_interval: 500`, got: #{inspect(ms)}"
  end

  defp check!(:migrate, migrate) when is_function(migrate, 2) do
    # An anonymous fn cannot be kept in the LiveView's on_mount options (they are
    # escaped into its code); a capture of a named function can.
    case Function.info(migrate, :type) do
      {:type, :external} -> migrate
      _ -> migrate_error!(migrate)
    end
  end

  defp check!(:migrate, nil), do: nil
  defp check!(:migrate, migrate), do: migrate_error!(migrate)

  defp check!(:adapter, adapter) do
    raise ArgumentError,
          ":adapter must be an adapter module such as LiveStash.Adapters.ETS, got: #{inspect(adapter)}"
  end

  defp check_adapter_active!(%__MODULE__{adapter: adapter} = options) do
    active = active_adapters()

    if adapter in active do
      options
    else
      raise ArgumentError,
            "adapter #{inspect(adapter)} is not active. Add it to your config, e.g. " <>
              "`config :live_stash, adapters: #{inspect(Enum.uniq(active ++ [adapter]))}`"
    end
  end

  defp check_security_mode!(%__MODULE__{adapter: BrowserMemory, security_mode: nil}) do
    raise ArgumentError,
          "LiveStash.Adapters.BrowserMemory needs :security_mode, either :sign or :encrypt, " <>
            "e.g. `use LiveStash, adapter: LiveStash.Adapters.BrowserMemory, " <>
            "security_mode: :encrypt, stored_keys: [...]`"
  end

  defp check_security_mode!(options), do: options

  defp check_migrate_version!(%__MODULE__{migrate: migrate, version: nil}) when migrate != nil do
    raise ArgumentError,
          ":migrate needs :version, the version the stash is migrated to, " <>
            "e.g. `version: 2, migrate: &MyAppWeb.CartLive.migrate_stash/2`"
  end

  defp check_migrate_version!(options), do: options

  defp migrate_error!(migrate) do
    raise ArgumentError,
          ":migrate must capture a named 2-arity function, " <>
            "e.g. `migrate: &MyAppWeb.CartLive.migrate_stash/2` (an anonymous fn cannot be " <>
            "stored in the LiveView's options), got: #{inspect(migrate)}"
  end
end
