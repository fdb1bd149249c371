defmodule LiveStash.Options do
  @moduledoc """
  Validates the options given to `use LiveStash`.

  Validation runs twice: when the LiveView compiles (so typos fail the build) and on
  every mount (so adapter activation follows the runtime config). A missing, unknown or
  invalid option raises `ArgumentError` with a message that says how to fix it.

      use LiveStash,
        stored_keys: [:count, :filter],
        adapter: LiveStash.Adapters.BrowserMemory,
        security_mode: :encrypt,
        ttl: 600

  With an adapter written to the public `LiveStash.Adapter` behaviour (a third-party
  one), only `:stored_keys` must be given, in any form the adapter reads, and every option
  but `:adapter` goes to its `init_stash/3` unchecked, as in the official library; only
  `:auto_stash` and `:auto_stash_interval`, which LiveStash runs for it, are checked. The
  list below is for the built-in adapters.

  ## Options

    * `:stored_keys` - required, no default. The assigns to keep: a non-empty list of
      atoms. Example: `stored_keys: [:count, :user_id]`
    * `:adapter` - default `LiveStash.Adapters.ETS`. Where the stash lives; the adapter
      must be switched on in `config :live_stash, adapters: [...]` (ETS always is).
      Example: `adapter: LiveStash.Adapters.Redis`
    * `:ttl` - default `300`. Seconds a stash stays valid after the last activity (a
      positive number); while the LiveView lives it is refreshed every ttl/4.
      Example: `ttl: 600`
    * `:version` - default `nil` (no check). Any term; a stash written under another
      version is rejected (`:error`) and dropped, so bump it when the stored assigns
      change shape, or give `:migrate` to convert it. With integer versions, a stash
      written by a newer version (a node not yet upgraded in a rolling deploy) is
      `:not_found`. Example: `version: 2`
    * `:migrate` - default `nil`. With `:version`: a remote capture of a 2-arity function,
      `migrate.(old_version, old_assigns)`, returning the new assigns map or
      `{:error, reason}`; a stash of another version is then migrated, recovered
      (`:recovered`) and written back under the new version at once. A LiveView that
      defines `migrate_stash/2` needs no option. See the "Deploys that change the stash"
      guide. Example: `migrate: &MyAppWeb.CartLive.migrate_stash/2`
    * `:secret` - default `"live_stash"`. A non-empty string that salts browser tokens
      and the server adapters' keys, so views with different secrets never read each
      other's stash. Example: `secret: "cart"`
    * `:session_key` - default `nil` (not bound). A session entry (atom or string) the
      stash is bound to: a stash made under another value of it is rejected, and
      mounting without it in the session raises. Example: `session_key: "user_token"`
    * `:security_mode` - default `nil`; required (`:sign` or `:encrypt`) with
      `LiveStash.Adapters.BrowserMemory`, where `:encrypt` hides the stashed values from
      the browser and `:sign` only prevents tampering. Example: `security_mode: :encrypt`
    * `:auto_stash` - default `false`. When `true`, the view stashes by itself after
      renders that changed a stored assign, so no `LiveStash.stash/1` calls are needed:
      BrowserMemory pushes with that render, the server stores write at most once per
      `:auto_stash_interval` (see `LiveStash.AutoStash`).
      Example: `auto_stash: true`
    * `:auto_stash_interval` - default `500`. Milliseconds (a whole number, 0 or more)
      a server store's auto stash waits after the render that armed it; it writes the
      state at the interval's end. `0` stashes after every render, as the official
      library does. BrowserMemory ignores it.
      Example: `auto_stash_interval: 0`
    * `:recover_after_reload` - default `false`. When `true`, a stash the client replays
      after a full page reload is accepted (still checked for ttl, version, session and
      LiveView module); otherwise a reload starts fresh. Example: `recover_after_reload: true`
  """

  alias LiveStash.Adapters.{BrowserMemory, ETS}
  alias LiveStash.Official

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

    if Official.adapter?(Keyword.get(opts, :adapter, ETS)),
      do: validate_official!(opts),
      else: validate_internal!(opts)
  end

  def validate!(other) do
    raise ArgumentError,
          "use LiveStash expects a keyword list, e.g. `use LiveStash, stored_keys: [:count]`, " <>
            "got: #{inspect(other)}"
  end

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
