defmodule LiveStash.Failure do
  @moduledoc """
  Why a stash was not recovered, and the one warning that says so.

  The reasons are stable atoms (they also name a failure in logs, and later in
  telemetry):

    * `:tampered` - a token, lease or Redis row failed authentication (forged, altered,
      or signed with another `secret_key_base` or `:secret`)
    * `:expired` - a browser token past its ttl (and without a lease for it), or a Redis
      row past the expiry its MAC vouches for (kept alive with `PERSIST`, or `SET` back)
    * `:version_mismatch` - written under another `:version` of the LiveView (and no
      `:migrate` to convert it)
    * `:newer_version` - written under a newer integer `:version` than this node runs (a
      node not upgraded yet, in a rolling deploy)
    * `:migration_failed` - the `:migrate` function raised or returned an error
    * `:wrong_view` - written by another LiveView module or another instance of it (a
      nested view with another id); left in place for its owner
    * `:wrong_session` - written for another `:session_key` value
    * `:mixed_keys` - a keyed browser stash whose keys are not exactly the ones its
      manifest names (a key replayed from another stash, view or session, or one missing
      or added)
    * `:malformed` - authentic, but no record this LiveStash reads: an older record
      format, or a term holding a function (never decoded into one)
    * `:adapter_down` - the store could not be read
  """

  require Logger

  @reasons [
    :tampered,
    :expired,
    :version_mismatch,
    :newer_version,
    :migration_failed,
    :wrong_view,
    :wrong_session,
    :mixed_keys,
    :malformed,
    :adapter_down
  ]

  @type reason ::
          :tampered
          | :expired
          | :version_mismatch
          | :newer_version
          | :migration_failed
          | :wrong_view
          | :wrong_session
          | :mixed_keys
          | :malformed
          | :adapter_down

  @doc "Every reason, for code that must handle each."
  @spec reasons() :: [reason()]
  def reasons, do: @reasons

  @doc """
  Names what an adapter returned: one of `reasons/0`, or `:adapter_down` for anything
  else (an exception, a Redis or Mnesia error).
  """
  @spec reason(term()) :: reason()
  def reason(reason) when reason in @reasons, do: reason
  def reason({:newer_version, _from, _to}), do: :newer_version
  def reason({:migration_failed, _from, _to, _why}), do: :migration_failed
  def reason(_other), do: :adapter_down

  @doc """
  Logs the one warning of a stash `view` could not recover, for what the adapter
  returned: a reason, or an adapter's own error (named `:adapter_down`, with its detail).
  """
  @spec warn(module(), term()) :: :ok
  def warn(view, returned) do
    reason = reason(returned)

    Logger.warning(
      "LiveStash did not recover the stash of #{inspect(view)}: " <>
        "#{describe(reason)} (#{inspect(reason)})#{detail(reason, returned)}"
    )
  end

  defp detail(reason, reason), do: ""

  defp detail(:newer_version, {_, from, to}),
    do: ": version #{inspect(from)}, this node runs #{inspect(to)}"

  defp detail(:migration_failed, {_, from, to, why}),
    do:
      ": from version #{inspect(from)} to #{inspect(to)}, #{LiveStash.Record.Migration.describe(why)}"

  defp detail(_reason, returned), do: ": #{inspect(returned)}"

  defp describe(:tampered),
    do: "it failed authentication (altered, or signed with another secret)"

  defp describe(:expired), do: "it expired"
  defp describe(:version_mismatch), do: "it was written by another :version of the view"
  defp describe(:newer_version), do: "it was written by a newer :version of the view"
  defp describe(:migration_failed), do: "its :migrate function failed"
  defp describe(:wrong_view), do: "the stash belongs to another view"
  defp describe(:wrong_session), do: "it was written for another session"

  defp describe(:mixed_keys),
    do: "its keys do not all belong to the stash its manifest names"

  defp describe(:malformed),
    do: "it is no record this LiveStash reads (an older format, or it holds a function)"

  defp describe(:adapter_down), do: "the store could not be read"
end
