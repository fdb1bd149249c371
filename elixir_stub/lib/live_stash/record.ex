defmodule LiveStash.Record do
  @moduledoc """
  The unit that is stashed: the stored assigns plus what recovery must check before
  trusting them: the LiveView module and instance (`view_id`, its `socket.id`) that
  wrote them, the `:version` option, and the session binding (`LiveStash.Secret`).

  `components` carries the stashed state of the view's LiveComponents (see
  `LiveStash.Component`), keyed by `{module name as a string, component id}`.

  ## Encoding and decoding

  Browser tokens and Redis rows carry `encode/1`'s binary: a tagged tuple with an
  explicit format number; ETS and Mnesia keep the struct itself, whose `:format` field
  is that number. Each release reads its own format and the one before it (an upgrade
  must not drop the stashes written just before it): `decode/1` and `check/2` bring
  such a record to this release's struct. Any other format is refused as `:malformed`
  instead of being misread.
  `LiveStash.Record.Packing` decides whether compressing it pays; `binary_to_term`
  reads either form, so the choice is not part of the format.

  `decode/1` is only ever given authenticated binaries: a token that `Phoenix.Token`
  verified or decrypted, a Redis row whose MAC verified. It therefore decodes without
  `:safe`, so atoms, module names and structs of modules not loaded yet (dev loads code
  lazily, and a fresh node has not created those atoms) recover. It still refuses any
  term holding a function, so no code is ever built from a stash. Unauthenticated
  binaries never reach it, and so never create atoms.
  """

  alias LiveStash.Record.{Migration, NonExecutable, Packing}

  # Bumped whenever the encoded layout, the struct or the checked fields change; the
  # format before it then stays readable (see `upgrade/1`). 0.1.0 wrote format 2.
  @format 2
  @readable [2]
  @tag :live_stash_record

  @enforce_keys [:assigns, :view, :view_id]
  defstruct [:assigns, :view, :view_id, :version, :session, components: %{}, format: @format]

  @type component_key :: {binary(), term()}
  @type t :: %__MODULE__{
          assigns: map(),
          view: module(),
          view_id: binary(),
          version: term(),
          session: binary() | nil,
          components: %{component_key() => map()},
          format: pos_integer()
        }

  @typedoc """
  What a recovering view expects; `view_id: :any` skips the instance check. `migrate`
  (optional) converts a record of another version (see `LiveStash.Record.Migration`).
  """
  @type expected :: %{
          required(:view) => module(),
          required(:view_id) => binary() | :any,
          required(:version) => term(),
          required(:session) => binary() | nil,
          optional(:legacy_session) => binary() | nil,
          optional(:migrate) => (term(), map() -> map() | {:error, term()}) | nil
        }

  @doc "The record a LiveView with `state` writes for `assigns`."
  @spec new(LiveStash.State.t(), module(), map(), map()) :: t()
  def new(%LiveStash.State{} = state, view, assigns, components \\ %{}) do
    %__MODULE__{
      assigns: assigns,
      view: view,
      view_id: state.view_id,
      version: state.options.version,
      session: state.session,
      components: components
    }
  end

  @doc """
  What `check/2` expects of a record the view of `socket` recovers. A reload replay
  comes from a new page, whose root view has a new id: only the module is checked then
  (with the version and session), as before ids were bound.
  """
  @spec expected(Phoenix.LiveView.Socket.t(), LiveStash.State.t()) :: expected()
  def expected(socket, %LiveStash.State{options: options, incoming: incoming} = state) do
    restored? = incoming.restored? and options.recover_after_reload

    %{
      view: socket.view,
      view_id: if(restored?, do: :any, else: state.view_id),
      version: options.version,
      session: state.session,
      legacy_session: state.legacy_session
    }
  end

  @doc """
  Accepts a recovered record only when it is this view's:

    * another session's record is `{:error, :wrong_session}`
    * another LiveView module's, or another instance's (`view_id`), is
      `{:not_found, :wrong_view}`: it is not this view's to drop
    * anything else unexpected (another format) is `{:error, :malformed}`
    * another configured `:version`'s is, in this order:
      * `{:not_found, {:newer_version, from, to}}` when both are integers and it is the
        newer (a node not upgraded yet, in a rolling deploy, reads it)
      * `{:migrated, record}`, the record under the expected version, when `migrate`
        converted it, or `{:not_found, {:migration_failed, from, to, why}}`
      * `{:error, :version_mismatch}` without `migrate`
  """
  @spec check(term(), expected()) ::
          {:ok, t()} | {:migrated, t()} | {:not_found, term()} | {:error, atom()}
  def check(record, expected) do
    case upgrade(record) do
      {:ok, record} -> record |> rebind(expected) |> check_bound(expected)
      :error -> {:error, :malformed}
    end
  end

  # A record bound with the session binding of 0.1.0 (`LiveStash.Secret.legacy_binding/2`)
  # is this session's: it is checked as bound anew, and written back so bound.
  defp rebind(%{session: session} = record, %{legacy_session: session} = expected)
       when is_binary(session),
       do: {:rebound, %{record | session: expected.session}}

  defp rebind(record, _expected), do: {:bound, record}

  defp check_bound({:bound, record}, expected), do: check_fields(record, expected)

  defp check_bound({:rebound, record}, expected) do
    case check_fields(record, expected) do
      {:ok, record} -> {:migrated, record}
      other -> other
    end
  end

  defp check_fields(record, expected) do
    cond do
      record.session != expected.session -> {:error, :wrong_session}
      record.view != expected.view -> {:not_found, :wrong_view}
      not same_instance?(record, expected) -> {:not_found, :wrong_view}
      not well_formed?(record) -> {:error, :malformed}
      version_mismatch?(record, expected) -> other_version(record, expected)
      true -> {:ok, record}
    end
  end

  @doc """
  A record struct of a readable format, as this release's struct: one kept by another
  release's code (an ETS row handed over by an older node, a replicated Mnesia row) may
  lack fields this release added, or hold some it dropped. `:error` for anything else.
  """
  @spec upgrade(term()) :: {:ok, t()} | :error
  def upgrade(%{__struct__: __MODULE__, format: format} = record) when format in @readable do
    fields = record |> Map.from_struct() |> Map.put(:format, @format)
    {:ok, struct(__MODULE__, fields)}
  end

  def upgrade(_other), do: :error

  defp same_instance?(_record, %{view_id: :any}), do: true
  defp same_instance?(%{view_id: id}, %{view_id: id}), do: true
  defp same_instance?(_record, _expected), do: false

  defp version_mismatch?(_record, %{version: nil}), do: false
  defp version_mismatch?(record, %{version: version}), do: record.version != version

  defp other_version(%{version: from} = record, %{version: to} = expected) do
    cond do
      is_integer(from) and is_integer(to) and from > to ->
        {:not_found, {:newer_version, from, to}}

      migrate = expected[:migrate] ->
        Migration.run(record, to, migrate)

      true ->
        {:error, :version_mismatch}
    end
  end

  defp well_formed?(record),
    do: is_map(record.assigns) and is_binary(record.view_id) and components?(record.components)

  @doc "Serialises a record for a browser token or a Redis row."
  @spec encode(t()) :: binary()
  def encode(%__MODULE__{} = record) do
    term =
      {@tag, @format, record.view, record.view_id, record.version, record.session, record.assigns,
       record.components}

    term |> Packing.pack() |> LiveStash.Telemetry.encoded()
  end

  @doc """
  Decodes an AUTHENTICATED binary (see the moduledoc): atoms it names are created, any
  function inside is refused. A binary of another format is `{:error, :malformed}`.
  """
  @spec decode(binary()) :: {:ok, t()} | {:error, :malformed}
  def decode(binary) when is_binary(binary) do
    term = :erlang.binary_to_term(binary)

    case NonExecutable.term?(term) && decoded(term) do
      {:ok, record} -> {:ok, record}
      _ -> {:error, :malformed}
    end
  rescue
    ArgumentError -> {:error, :malformed}
  end

  def decode(_), do: {:error, :malformed}

  # Every readable format's layout; each is brought to this release's struct.
  defp decoded(term) do
    case term do
      {@tag, format, view, view_id, version, session, assigns, components}
      when format in @readable and is_atom(view) ->
        upgrade(%__MODULE__{
          format: format,
          assigns: assigns,
          view: view,
          view_id: view_id,
          version: version,
          session: session,
          components: components
        })

      _other ->
        :error
    end
  end

  defp components?(components) when is_map(components) do
    Enum.all?(components, fn
      {{module, _id}, assigns} -> is_binary(module) and is_map(assigns)
      _ -> false
    end)
  end

  defp components?(_), do: false
end
