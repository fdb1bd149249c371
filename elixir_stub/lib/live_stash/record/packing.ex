defmodule LiveStash.Record.Packing do
  @moduledoc false
  # Serialises a term into the external term format, compressed only when that pays.
  #
  # What `:erlang.term_to_binary(term, [:compressed])` costs is zlib at level 6 over the
  # whole binary, whatever it holds: about 3× level 1 for under 1 % fewer bytes, and on
  # incompressible data (random bytes, media, already-compressed files) the full price for
  # no gain at all. So:
  #
  #   * a payload under 1 KB is left raw: the zlib header and the token's base64
  #     eat most of what it could save;
  #   * a larger one is judged first on a sample of 2 KB, taken in slices across
  #     the whole binary: when the sample shrinks by less than 10 % it is left raw, so
  #     an incompressible 1 MB costs one `term_to_binary` and a 2 KB deflate;
  #   * otherwise it is deflated at level 1, and kept only if that saved 10 % or more.
  #
  # The output is always what `:erlang.binary_to_term/1` reads: either a plain
  # `<<131, ...>>` binary or the compressed form `<<131, 80, size::32, zlib data>>`, the
  # same bytes `term_to_binary(term, compressed: 1)` writes. Atoms are written as
  # `minor_version: 2` does (a one-byte length, UTF-8), readable by every OTP since 20
  # and a few percent smaller on maps of atom keys.

  @small 1024
  @slices 4
  @slice 512
  # Keep the compressed form only when it is at most 90 % of the raw one.
  @gain_num 9
  @gain_den 10

  @doc "The external term format of `term`, compressed at level 1 when it pays."
  @spec pack(term()) :: binary()
  def pack(term) do
    raw = :erlang.term_to_binary(term, minor_version: 2)

    cond do
      byte_size(raw) < @small -> raw
      byte_size(raw) <= @slices * @slice -> compress(raw)
      pays?(sample(raw)) -> compress(raw)
      true -> raw
    end
  end

  @doc "True when `binary` is the compressed form of the external term format."
  @spec compressed?(binary()) :: boolean()
  def compressed?(<<131, 80, _::binary>>), do: true
  def compressed?(_binary), do: false

  defp compress(<<131, body::binary>> = raw) do
    packed = <<131, 80, byte_size(body)::32, deflate(body)::binary>>
    if smaller?(packed, raw), do: packed, else: raw
  end

  defp sample(raw) do
    stride = div(byte_size(raw) - @slice, @slices - 1)
    for i <- 0..(@slices - 1), into: <<>>, do: binary_part(raw, i * stride, @slice)
  end

  defp pays?(sample), do: smaller?(deflate(sample), sample)

  defp smaller?(packed, raw), do: byte_size(packed) * @gain_den <= byte_size(raw) * @gain_num

  defp deflate(data) do
    z = :zlib.open()

    try do
      :ok = :zlib.deflateInit(z, 1)
      out = :zlib.deflate(z, data, :finish)
      :ok = :zlib.deflateEnd(z)
      IO.iodata_to_binary(out)
    after
      :zlib.close(z)
    end
  end
end
