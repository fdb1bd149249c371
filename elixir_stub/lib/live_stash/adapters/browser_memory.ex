defmodule LiveStash.Adapters.BrowserMemory do
  @moduledoc """
  Keeps the stash in the browser as a `Phoenix.Token`, signed or (with
  `security_mode: :encrypt`) encrypted.

      # config/config.exs
      config :live_stash, adapters: [LiveStash.Adapters.ETS, LiveStash.Adapters.BrowserMemory]

      # the LiveView
      use LiveStash,
        adapter: LiveStash.Adapters.BrowserMemory,
        security_mode: :encrypt,
        stored_keys: [:count]

  The token carries the `LiveStash.Record` (bound to the view instance and, with
  `:session_key`, to the session), under the view's fixed `:secret` salt. The server
  keeps nothing, so this survives server restarts and deploys. What keeps a
  live view's stash alive is a lease (`LiveStash.Lease`): a small signed note, bound to
  the token's digest and valid for `:ttl` seconds, pushed every ttl/4. The token is sent
  once per change, not once per beat, so idle traffic does not grow with the stash.

  Recovery accepts the token alone within `:ttl` of its signing, as the official
  library does (its client ignores leases); an older token needs a valid lease for it,
  and no token outlives `LiveStash.Lease.bound/1`.

  A join whose client announces the `keys` capability gets keyed stashes instead
  (`LiveStash.Adapters.BrowserMemory.Keyed`): one token per stored key and a manifest,
  so a small change pushes a small payload. The manifest takes the whole token's place
  in every rule above (ttl, lease, bound, re-issue). The official client announces
  nothing and gets whole tokens.
  """

  @behaviour LiveStash.Adapter.Internal

  alias LiveStash.{Events, Lease, Push, Record, State}
  alias LiveStash.Adapters.BrowserMemory.{Keyed, Token}

  # Which token this view's browser holds: {digest, issued_at}. Kept in the LiveView
  # process, keyed by the view's id, not in the socket: a LiveComponent writes its
  # parent's token from its own socket (see `LiveStash.Component.Writer`), and the
  # parent's next beat must lease that newest token, not the one before it.
  @held :live_stash_browser_token

  @impl true
  def mount(socket, %State{fresh?: true} = state) do
    # A fresh mount must not pick up what an earlier visit left in the tab.
    {Push.event(socket, Events.init_browser_memory(), %{}), state}
  end

  def mount(socket, state), do: {socket, state}

  @impl true
  def put(socket, %State{} = state, %Record{} = record) do
    if Keyed.keyed?(state),
      do: {:ok, put_keyed(socket, state, record, false)},
      else: {:ok, put_whole(socket, state, record)}
  end

  defp put_whole(socket, state, record) do
    issued_at = LiveStash.Clock.now()
    token = Token.seal(socket, state, Record.encode(record))
    socket = hold(socket, Lease.digest(token), issued_at)
    Push.event(socket, Events.stash_state(), %{assigns: token})
  end

  defp put_keyed(socket, state, record, force) do
    case Keyed.put(socket, state, record, force) do
      {socket, nil} -> socket
      {socket, {digest, issued_at}} -> hold(socket, digest, issued_at)
    end
  end

  @impl true
  def fetch(socket, %State{incoming: %{stash: {:browser, token}}} = state) do
    case Token.open(socket, state, token) do
      # Verified or decrypted by Phoenix.Token: authentic, so decoded in full.
      {:ok, binary} -> Record.decode(binary)
      error -> Token.failure(error)
    end
  end

  def fetch(socket, %State{incoming: %{stash: {:browser_keys, manifest, keys}}} = state) do
    case Keyed.fetch(socket, state, manifest, keys) do
      {:ok, record, {digest, issued_at}} ->
        hold(socket, digest, issued_at)
        {:ok, record}

      other ->
        other
    end
  end

  def fetch(_socket, _state), do: :not_found

  @doc """
  After a recovery the browser already holds the token: it gets a fresh lease for it
  instead of the whole stash again.
  """
  @impl true
  def renew(socket, %State{incoming: %{stash: {:browser, token}}} = state) do
    digest = Lease.digest(token)
    issued_at = lease_issued_at(socket, state, digest)
    assigns = Map.take(socket.assigns, state.options.stored_keys)
    socket = socket |> hold(digest, issued_at) |> push_lease(state, digest, issued_at)
    {socket, %State{state | last_assigns: assigns}}
  end

  # The manifest's digest and seal time were held when it was fetched.
  def renew(socket, %State{incoming: %{stash: {:browser_keys, _, _}}} = state) do
    {digest, issued_at} = held(socket)
    assigns = Map.take(socket.assigns, state.options.stored_keys)
    socket = push_lease(socket, state, digest, issued_at)
    {socket, %State{state | last_assigns: assigns}}
  end

  @impl true
  def drop(socket, state) do
    forget(socket)
    {Push.event(socket, Events.init_browser_memory(), %{}), state}
  end

  @doc """
  The token is another view's (a client with one stash per page hands it to every
  view): the browser keeps it for its owner, and this view's next stash pushes its own.
  """
  @impl true
  def leave(socket, state) do
    forget(socket)
    {socket, state}
  end

  @impl true
  def keep_alive(socket, %State{options: %{ttl: ttl}} = state) do
    case held(socket) do
      {digest, issued_at} ->
        if Lease.outlives_token?(issued_at, ttl) or
             (Keyed.keyed?(state) and Keyed.expiring?(socket, ttl)),
           do: reissue(socket, state),
           else: push_lease(socket, state, digest, issued_at)

      nil ->
        reissue(socket, state)
    end
  end

  # Rare: only when a token (whole, manifest or key) nears its absolute bound, or none is
  # held yet. Components stash through their parent, so a parent that never stashed may
  # still carry them.
  defp reissue(socket, %State{} = state) do
    components = LiveStash.Component.Host.components(socket)

    if is_nil(state.last_assigns) and components == %{} do
      socket
    else
      assigns = state.last_assigns || %{}
      record = Record.new(state, socket.view, assigns, components)

      if Keyed.keyed?(state),
        do: put_keyed(socket, state, record, true),
        else: put_whole(socket, state, record)
    end
  end

  defp push_lease(socket, %State{options: %{ttl: ttl}} = state, digest, issued_at) do
    lease = Lease.sign(socket.endpoint, state.options.secret, digest, issued_at, ttl, state.session)

    Push.event(socket, Events.lease(), %{lease: lease, ttl: ttl})
  end

  defp hold(socket, digest, issued_at) do
    Process.put({@held, socket.id}, {digest, issued_at})
    socket
  end

  defp held(socket), do: Process.get({@held, socket.id})

  defp forget(socket) do
    Process.delete({@held, socket.id})
    Keyed.forget(socket)
  end

  # The lease knows when the token was signed; without one the token was accepted alone,
  # so it was signed within the ttl: assuming the earliest such time re-issues early, never late.
  defp lease_issued_at(socket, %State{options: %{ttl: ttl}} = state, digest) do
    case Token.verify_lease(socket, state, digest) do
      {:ok, issued_at} -> issued_at
      {:error, _} -> LiveStash.Clock.now() - ceil(ttl)
    end
  end
end
