defmodule LiveStash.Record do
  @moduledoc """
  The unit that is stashed: the stored assigns plus what recovery must check before
  trusting them (the `:version` option and the LiveView module that wrote them).
  """

  @enforce_keys [:assigns, :view]
  defstruct [:assigns, :view, :version]

  @type t :: %__MODULE__{assigns: map(), view: module(), version: term()}

  @spec new(map(), module(), term()) :: t()
  def new(assigns, view, version), do: %__MODULE__{assigns: assigns, view: view, version: version}

  @doc """
  Accepts a recovered record only for the same LiveView and, when a `:version` is
  configured, the same version.
  """
  @spec check(term(), module(), term()) :: {:ok, t()} | {:error, atom()}
  def check(%__MODULE__{view: view, assigns: assigns} = record, view, version)
      when is_map(assigns) do
    if is_nil(version) or record.version == version,
      do: {:ok, record},
      else: {:error, :version_mismatch}
  end

  def check(%__MODULE__{}, _view, _version), do: {:error, :wrong_view}
  def check(_other, _view, _version), do: {:error, :malformed}

  @doc "Serialises a record for a browser token."
  @spec encode(t()) :: binary()
  def encode(%__MODULE__{} = record) do
    :erlang.term_to_binary({record.view, record.version, record.assigns}, [:compressed])
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

      _ ->
        {:error, :malformed}
    end
  rescue
    ArgumentError -> {:error, :malformed}
  end

  def decode(_), do: {:error, :malformed}
end
