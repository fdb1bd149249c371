defmodule LiveStash.Test.Migrations do
  @moduledoc """
  `:migrate` functions for the migration suites, compiled to disk so a peer node loads
  them too. Version 1 stored `count`; version 2 stores it plus 100.
  """

  @doc "Version 1 to 2."
  def to_v2(1, %{count: count} = assigns), do: %{assigns | count: count + 100}
  def to_v2(from, _assigns), do: {:error, {:unknown_version, from}}

  @doc "Refuses every stash."
  def failing(_from, _assigns), do: {:error, :cannot_convert}

  @doc "Raises on every stash."
  def raising(_from, _assigns), do: raise(ArgumentError, "bad migration")

  @doc "Keeps the assigns as they are (a view whose own shape did not change)."
  def keep(_from, assigns), do: assigns
end
