defmodule LiveStash.Record do
  @moduledoc """
  The unit that is stashed: the stored assigns plus what recovery must check before
  trusting them (the `:version` option and the LiveView module that wrote them).

  `components` carries the stashed state of the view's LiveComponents (see
  `LiveStash.Component`), keyed by `{module name as a string, component id}`. The module
  is kept as a string so a token decodes (`binary_to_term/2` with `:safe`) even before
  the component's module is loaded.
  """

  @enforce_keys [:assigns, :view]
  defstruct [:assigns, :view, :version, components: %{}]

  @type component_key :: {binary(), term()}
  @type t :: %__MODULE__{
          assigns: map(),
          view: module(),
          version: term(),
          components: %{component_key() => map()}
        }

  @spec new(map(), module(), term(), map()) :: t()
  def new(assigns, view, version, components \\ %{}),
    do: %__MODULE__{assigns: assigns, view: view, version: version, components: components}

  @doc """
  Accepts a recovered record only for the same LiveView and, when a `:version` is
  configured, the same version.
  """
  @spec check(term(), module(), term()) :: {:ok, t()} | {:error, atom()}
  def check(%__MODULE__{view: view, assigns: assigns} = record, view, version)
      when is_map(assigns) do
    # A row written before components existed (another node, a disc copy) has no such field.
    case Map.get(record, :components, %{}) do
      components when is_map(components) ->
        if is_nil(version) or record.version == version,
          do: {:ok, Map.put(record, :components, components)},
          else: {:error, :version_mismatch}

      _ ->
        {:error, :malformed}
    end
  end

  def check(%__MODULE__{}, _view, _version), do: {:error, :wrong_view}
  def check(_other, _view, _version), do: {:error, :malformed}

  @doc """
  Serialises a record for a browser token. A record without components keeps the
  original three-element layout, so tokens look the same as before components existed.
  """
  @spec encode(t()) :: binary()
  def encode(%__MODULE__{components: components} = record) when components == %{} do
    :erlang.term_to_binary({record.view, record.version, record.assigns}, [:compressed])
    |> LiveStash.Telemetry.encoded()
  end

  def encode(%__MODULE__{} = record) do
    term = {record.view, record.version, record.assigns, record.components}
    term |> :erlang.term_to_binary([:compressed]) |> LiveStash.Telemetry.encoded()
  end

  @doc """
  Decodes a binary that came out of a verified token. `:safe` keeps a forged or stale
  binary from creating atoms; the record is still checked afterwards.
  """
  @spec decode(binary()) :: {:ok, t()} | {:error, :malformed}
  def decode(binary) when is_binary(binary) do
    case :erlang.binary_to_term(binary, [:safe]) do
      {view, version, assigns} when is_atom(view) and is_map(assigns) ->
        {:ok, new(assigns, view, version)}

      {view, version, assigns, components} when is_atom(view) and is_map(assigns) ->
        if components?(components),
          do: {:ok, new(assigns, view, version, components)},
          else: {:error, :malformed}

      _ ->
        {:error, :malformed}
    end
  rescue
    ArgumentError -> {:error, :malformed}
  end

  def decode(_), do: {:error, :malformed}

  defp components?(components) when is_map(components) do
    Enum.all?(components, fn
      {{module, _id}, assigns} -> is_binary(module) and is_map(assigns)
      _ -> false
    end)
  end

  defp components?(_), do: false
end
