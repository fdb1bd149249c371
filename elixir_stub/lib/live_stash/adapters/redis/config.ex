defmodule LiveStash.Adapters.Redis.Config do
  @moduledoc false
  # Reads `config :live_stash, :redis` in the three forms the official library accepts:
  # a URI string (`"redis://:secret@host:6379/0"`), `{uri, opts}` (opts win over the URI),
  # or a keyword list (`host:`, `port:`, `database:`, `username:`, `password:`, `ssl:`).
  #
  # `:timeout` (ms, default 500) bounds every call, so a Redis that hangs cannot hold
  # a LiveView mount past it. Other keys pass through to Redix when the app uses it.

  @default_timeout 500
  @known [:host, :port, :database, :username, :password, :ssl, :timeout]

  defstruct host: "localhost",
            port: 6379,
            database: 0,
            username: nil,
            password: nil,
            ssl: false,
            timeout: @default_timeout,
            extra: []

  @type t :: %__MODULE__{}

  @doc "The app's Redis config, or an `ArgumentError` saying how to write it."
  @spec fetch!() :: t()
  def fetch! do
    case Application.fetch_env(:live_stash, :redis) do
      {:ok, value} ->
        parse!(value)

      :error ->
        raise ArgumentError,
              "LiveStash.Adapters.Redis is active but Redis is not configured. Add e.g. " <>
                "`config :live_stash, redis: \"redis://localhost:6379/0\"`"
    end
  end

  @doc """
  Parses one of the three `:redis` forms, or raises an `ArgumentError` saying how to
  write it.

      LiveStash.Adapters.Redis.Config.parse!({"redis://:secret@redis.internal:6379/1", timeout: 1_000})
  """
  @spec parse!(term()) :: t()
  def parse!(uri) when is_binary(uri), do: from_keyword!(uri!(uri))
  def parse!({uri, opts}) when is_binary(uri) and is_list(opts), do: merge!(uri!(uri), opts)
  def parse!(opts) when is_list(opts), do: merge!([], opts)

  def parse!(other) do
    raise ArgumentError,
          "config :live_stash, :redis must be a URI string, {uri, opts} or a keyword list, " <>
            "e.g. \"redis://localhost:6379/0\", got: #{inspect(other)}"
  end

  defp merge!(base, opts) do
    unless Keyword.keyword?(opts) do
      raise ArgumentError, "Redis options must be a keyword list, got: #{inspect(opts)}"
    end

    from_keyword!(Keyword.merge(base, opts))
  end

  defp from_keyword!(opts) do
    {known, extra} = Keyword.split(opts, @known)

    struct!(__MODULE__, Keyword.put(known, :extra, extra))
    |> Map.update!(:host, &to_string/1)
    |> check!(:port, &(is_integer(&1) and &1 in 1..65_535))
    |> check!(:database, &(is_integer(&1) and &1 >= 0))
    |> check!(:timeout, &(is_integer(&1) and &1 > 0))
  end

  defp check!(config, key, valid?) do
    value = Map.fetch!(config, key)

    if valid?.(value),
      do: config,
      else: raise(ArgumentError, "invalid Redis #{key}: #{inspect(value)}")
  end

  defp uri!(uri) do
    case URI.parse(uri) do
      %URI{scheme: scheme, host: host} = parsed
      when scheme in ["redis", "rediss"] and is_binary(host) and host != "" ->
        [host: host, ssl: scheme == "rediss"]
        |> put_some(:port, parsed.port)
        |> put_some(:database, database!(parsed.path, uri))
        |> Keyword.merge(credentials(parsed.userinfo))

      _ ->
        raise ArgumentError,
              "invalid Redis URI #{inspect(redact(uri))}: expected redis://[:password@]host[:port][/db]"
    end
  end

  defp database!(path, _uri) when path in [nil, "", "/"], do: nil

  defp database!("/" <> db, uri) do
    case Integer.parse(db) do
      {n, ""} when n >= 0 -> n
      _ -> raise ArgumentError, "invalid Redis database in URI #{inspect(redact(uri))}"
    end
  end

  defp credentials(nil), do: []

  defp credentials(userinfo) do
    case String.split(userinfo, ":", parts: 2) do
      [user, password] -> put_some([password: URI.decode(password)], :username, blank(user))
      [password] -> [password: URI.decode(password)]
    end
  end

  defp blank(""), do: nil
  defp blank(user), do: URI.decode(user)

  defp put_some(opts, _key, nil), do: opts
  defp put_some(opts, key, value), do: Keyword.put(opts, key, value)

  # Error messages must not carry the password.
  defp redact(uri), do: String.replace(uri, ~r{//[^@/]*@}, "//***@")
end
