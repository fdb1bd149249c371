defmodule LiveStash.Test.Tokens do
  @moduledoc """
  Browser tokens built by hand, as the shim signs them, for cases a view would not
  produce by itself (an old token, another view's, another session's).
  """

  alias LiveStash.{Lease, Record}

  @doc """
  A record of `view` (instance `view_id`) holding `assigns`. Options: `:version`,
  `:session` (a session binding, see `LiveStash.Secret.binding/3`), `:components`.
  """
  def record(view, view_id, assigns, opts \\ []) do
    %Record{
      assigns: assigns,
      view: view,
      view_id: view_id,
      version: opts[:version],
      session: opts[:session],
      components: Keyword.get(opts, :components, %{})
    }
  end

  @doc """
  A token for `data` (a record, or any binary), signed under the "live_stash" salt, or
  encrypted with `encrypt: true`. Options: `:salt`, `:age` (seconds since it was signed),
  `:max_age` (default: the absolute bound for a 300 s ttl).
  """
  def token(data, opts \\ []) do
    data = if is_struct(data, Record), do: Record.encode(data), else: data
    salt = Keyword.get(opts, :salt, "live_stash")

    sign_opts = [
      max_age: Keyword.get(opts, :max_age, Lease.bound(300)),
      signed_at: System.system_time(:second) - Keyword.get(opts, :age, 0)
    ]

    if opts[:encrypt],
      do: Phoenix.Token.encrypt(LiveStash.Test.Endpoint, salt, data, sign_opts),
      else: Phoenix.Token.sign(LiveStash.Test.Endpoint, salt, data, sign_opts)
  end
end
