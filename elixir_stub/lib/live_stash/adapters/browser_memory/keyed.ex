defmodule LiveStash.Adapters.BrowserMemory.Keyed do
  @moduledoc """
  Keyed browser stashes, for a client whose join announced the `keys` capability
  (`LiveStash.Events.keyed_capability/0`): one token per stored key, plus a small
  `LiveStash.Adapters.BrowserMemory.Manifest` re-sealed on each change. A stash seals
  only the keys whose value changed since the last one and pushes
  `%{manifest: token, keys: %{name => token}, names: [every current name]}`; the client
  keeps the other keys' tokens and hands all of them back with the manifest.

  Key names: a stored assign is `"a:" <> its name`; the LiveComponents' states are one
  more key, `"c"`. One key for all components, not one each: their states are small
  next to the view's, and a component key would otherwise need a name for any
  `{module, id}` term.

  Each key's value is compared with the value last stashed by exact equality (`===`,
  which takes no time for a term that was not rebuilt), so nothing is serialised for an
  unchanged key and nothing is pushed when no key changed.
  """

  alias LiveStash.{Events, Lease, Push, Record, State}
  alias LiveStash.Adapters.BrowserMemory.{Manifest, Token}
  alias LiveStash.Record.NonExecutable

  # What this view's browser holds, kept in the LiveView process by view id for the same
  # reason as BrowserMemory's held token (a component writes the parent's stash):
  # %{header, generation, keys: %{name => {entry, digest, issued_at}}}.
  @held :live_stash_browser_keys
  @key_tag :live_stash_key
  # A key token's format number, bumped when its payload changes; `decode_key/2` reads
  # the format before it too (0.1.0's `{@key_tag, name, entry}` had no number).
  @key_format 1
  @components "c"

  # Only what is larger than this is worth a (cheap) compression pass.
  @compress_above 1024

  @doc "Whether this join's client takes keyed stashes."
  @spec keyed?(State.t()) :: boolean()
  def keyed?(%State{incoming: %{keyed?: keyed?}}), do: keyed?
  def keyed?(_state), do: false

  @doc """
  Stashes `record`, sealing the keys that changed and any kept key near its absolute
  bound (`LiveStash.Lease.bound/1`). `force`, for the keep-alive's re-issue, re-seals the
  manifest even when no key needs it. Returns the socket and the manifest's
  `{digest, issued_at}` when something was pushed.
  """
  @spec put(Phoenix.LiveView.Socket.t(), State.t(), Record.t(), boolean()) ::
          {Phoenix.LiveView.Socket.t(), {binary(), integer()} | nil}
  def put(socket, %State{options: %{ttl: ttl}} = state, %Record{} = record, force) do
    held = held(socket) || %{header: nil, generation: 0, keys: %{}}
    now = LiveStash.Clock.now()

    {keys, tokens} =
      Enum.reduce(entries(record), {%{}, %{}}, fn {name, entry}, {keys, tokens} ->
        case Map.fetch(held.keys, name) do
          {:ok, {^entry, _digest, issued_at} = kept} ->
            if Lease.outlives_token?(issued_at, ttl),
              do: seal_key(socket, state, name, entry, now, keys, tokens),
              else: {Map.put(keys, name, kept), tokens}

          _changed ->
            seal_key(socket, state, name, entry, now, keys, tokens)
        end
      end)

    header = header(record)

    if tokens == %{} and not force and header === held.header and
         map_size(keys) == map_size(held.keys) do
      {socket, nil}
    else
      generation = held.generation + 1
      manifest = manifest(socket, state, record, generation, now, keys)
      Process.put({@held, socket.id}, %{header: header, generation: generation, keys: keys})
      payload = %{manifest: manifest, keys: tokens, names: Map.keys(keys)}
      {Push.event(socket, Events.stash_keys(), payload), {Lease.digest(manifest), now}}
    end
  end

  @doc """
  Whether a key the browser holds nears its absolute bound. The manifest is re-sealed on
  every change, so its own age says nothing about a key that has not changed for a day:
  the keep-alive asks this too.
  """
  @spec expiring?(Phoenix.LiveView.Socket.t(), number()) :: boolean()
  def expiring?(socket, ttl) do
    case held(socket) do
      %{keys: keys} ->
        Enum.any?(keys, fn {_name, {_, _, at}} -> Lease.outlives_token?(at, ttl) end)

      nil ->
        false
    end
  end

  @doc """
  Recovers the stash the join handed back as a manifest and its keys' tokens. The
  manifest follows a whole token's ttl and lease rules; its names must be exactly the
  keys handed back, each token the one it names (else `{:error, :mixed_keys}`), each
  authentic (else `{:error, :tampered}`). The record is checked by the caller as any
  other. On success the view holds what it recovered, so its next stash pushes only
  what changes.
  """
  @spec fetch(Phoenix.LiveView.Socket.t(), State.t(), binary(), %{binary() => binary()}) ::
          {:ok, Record.t(), {binary(), integer()}}
          | :not_found
          | {:not_found, atom()}
          | {:error, atom()}
  def fetch(socket, state, manifest_token, tokens) do
    with {:ok, binary} <- open(socket, state, manifest_token, &Token.open/3),
         {:ok, manifest} <- Manifest.decode(binary),
         :ok <- same_names(manifest, tokens),
         {:ok, keys} <- open_keys(socket, state, manifest, tokens) do
      {assigns, components} = values(keys)
      record = Manifest.record(manifest, assigns, components)

      Process.put({@held, socket.id}, %{
        header: header(record),
        generation: manifest.generation,
        keys: keys
      })

      {:ok, record, {Lease.digest(manifest_token), manifest.issued_at}}
    end
  end

  @doc "Forgets what this view's browser holds, so its next stash pushes every key."
  @spec forget(Phoenix.LiveView.Socket.t()) :: :ok
  def forget(socket) do
    Process.delete({@held, socket.id})
    :ok
  end

  defp seal_key(socket, state, name, entry, now, keys, tokens) do
    token = Token.seal(socket, state, encode({@key_tag, @key_format, name, entry}))
    {Map.put(keys, name, {entry, Lease.digest(token), now}), Map.put(tokens, name, token)}
  end

  defp manifest(socket, state, %Record{} = record, generation, now, keys) do
    manifest = %Manifest{
      format: record.format,
      view: record.view,
      view_id: record.view_id,
      version: record.version,
      session: record.session,
      generation: generation,
      issued_at: now,
      keys: Map.new(keys, fn {name, {_entry, digest, at}} -> {name, {digest, at}} end)
    }

    Token.seal(socket, state, Manifest.encode(manifest))
  end

  defp header(%Record{} = r), do: {r.format, r.view, r.view_id, r.version, r.session}

  defp entries(%Record{assigns: assigns, components: components}) do
    keys =
      Map.new(assigns, fn {key, value} -> {"a:" <> Atom.to_string(key), {:assign, key, value}} end)

    if components == %{}, do: keys, else: Map.put(keys, @components, {:components, components})
  end

  defp values(keys) do
    Enum.reduce(keys, {%{}, %{}}, fn
      {_name, {{:assign, key, value}, _, _}}, {assigns, components} ->
        {Map.put(assigns, key, value), components}

      {_name, {{:components, map}, _, _}}, {assigns, _components} ->
        {assigns, map}
    end)
  end

  defp same_names(%Manifest{keys: named}, tokens) do
    if map_size(named) == map_size(tokens) and
         Enum.all?(named, fn {n, _} -> is_map_key(tokens, n) end),
       do: :ok,
       else: {:error, :mixed_keys}
  end

  defp open_keys(socket, state, %Manifest{keys: named}, tokens) do
    Enum.reduce_while(tokens, {:ok, %{}}, fn {name, token}, {:ok, acc} ->
      {digest, issued_at} = Map.fetch!(named, name)

      # The digest first: a token of another stash is refused before it is even opened.
      with true <- Lease.digest(token) == digest || {:error, :mixed_keys},
           {:ok, binary} <- open(socket, state, token, &Token.open_bounded/3),
           {:ok, entry} <- decode_key(binary, name) do
        {:cont, {:ok, Map.put(acc, name, {entry, digest, issued_at})}}
      else
        error -> {:halt, error}
      end
    end)
  end

  defp open(socket, state, token, opener) do
    case opener.(socket, state, token) do
      {:ok, binary} -> {:ok, binary}
      error -> Token.failure(error)
    end
  end

  # Authenticated (see LiveStash.Record): decoded in full, but never into a function.
  defp decode_key(binary, name) do
    term = :erlang.binary_to_term(binary)

    case NonExecutable.term?(term) && upgrade_key(term) do
      {@key_tag, @key_format, ^name, {:assign, key, _value} = entry} when is_atom(key) ->
        {:ok, entry}

      {@key_tag, @key_format, ^name, {:components, map} = entry} when is_map(map) ->
        {:ok, entry}

      {@key_tag, @key_format, _other, _entry} ->
        {:error, :mixed_keys}

      _ ->
        {:error, :malformed}
    end
  rescue
    ArgumentError -> {:error, :malformed}
  end

  defp upgrade_key({@key_tag, name, entry}), do: {@key_tag, @key_format, name, entry}
  defp upgrade_key(term), do: term

  defp encode(term) do
    # external_size walks the term without building the binary.
    binary =
      if :erlang.external_size(term) > @compress_above,
        do: :erlang.term_to_binary(term, compressed: 1),
        else: :erlang.term_to_binary(term)

    LiveStash.Telemetry.encoded(binary)
  end

  defp held(socket), do: Process.get({@held, socket.id})
end
