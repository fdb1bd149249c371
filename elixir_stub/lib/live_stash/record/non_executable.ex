defmodule LiveStash.Record.NonExecutable do
  @moduledoc false
  # Refuses decoded terms that hold something executable, as
  # `Plug.Crypto.non_executable_binary_to_term/2` does (same rule, our own code, so `lib`
  # does not depend on plug_crypto): atoms, numbers, bitstrings, pids and references pass;
  # lists (proper or not), tuples and maps are walked, keys included; anything else (a
  # function, a port) is refused.

  @doc "`true` when `term` holds nothing executable."
  @spec term?(term()) :: boolean()
  def term?(term)
      when is_atom(term) or is_number(term) or is_bitstring(term) or is_pid(term) or
             is_reference(term),
      do: true

  def term?(list) when is_list(list), do: list?(list)
  def term?(tuple) when is_tuple(tuple), do: tuple?(tuple, tuple_size(tuple))
  def term?(map) when is_map(map), do: map_entries?(:maps.next(:maps.iterator(map)))
  def term?(_executable), do: false

  # Walked element by element so a long list or map costs no stack.
  defp list?([]), do: true
  defp list?([head | tail]) when is_list(tail), do: term?(head) and list?(tail)
  defp list?([head | tail]), do: term?(head) and term?(tail)

  defp tuple?(_tuple, 0), do: true
  defp tuple?(tuple, n), do: term?(:erlang.element(n, tuple)) and tuple?(tuple, n - 1)

  defp map_entries?(:none), do: true

  defp map_entries?({key, value, next}),
    do: term?(key) and term?(value) and map_entries?(:maps.next(next))
end
