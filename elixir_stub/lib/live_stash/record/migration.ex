defmodule LiveStash.Record.Migration do
  @moduledoc false
  # Converts a record written under another `:version` with the view's migrate function,
  # once, here, for every built-in adapter: they hand `LiveStash` the record as stored,
  # and the rewrite that follows a migrated recovery stores it under the new version.
  #
  # The view's function gets the view's assigns. Each component state in the record goes
  # to its component module's `migrate_stash/2` when it defines one (a failure drops that
  # component's state, with a warning); without one it is kept as it is, since the
  # `:version` is the view's.

  alias LiveStash.Record

  require Logger

  @doc false
  @spec run(Record.t(), term(), function()) ::
          {:migrated, Record.t()} | {:not_found, {:migration_failed, term(), term(), term()}}
  def run(%Record{version: from} = record, to, migrate) do
    case apply_migrate(migrate, from, record.assigns) do
      {:ok, assigns} ->
        components = migrate_components(record, from, to)
        {:migrated, %Record{record | assigns: assigns, version: to, components: components}}

      {:error, why} ->
        {:not_found, {:migration_failed, from, to, why}}
    end
  end

  @doc false
  @spec describe(term()) :: binary()
  def describe({:bad_return, returned}),
    do: "it returned #{inspect(returned, limit: 5)}, not a map with atom keys or {:error, reason}"

  def describe(exception) when is_exception(exception),
    do: "it raised #{inspect(exception.__struct__)}: #{Exception.message(exception)}"

  def describe({kind, reason}) when kind in [:exit, :throw],
    do: "it #{kind_word(kind)} #{inspect(reason, limit: 5)}"

  def describe(reason), do: "it returned {:error, #{inspect(reason, limit: 5)}}"

  defp kind_word(:exit), do: "exited with"
  defp kind_word(:throw), do: "threw"

  defp apply_migrate(migrate, from, assigns) do
    case migrate.(from, assigns) do
      %{} = new when not is_struct(new) ->
        if Enum.all?(Map.keys(new), &is_atom/1),
          do: {:ok, new},
          else: {:error, {:bad_return, new}}

      {:error, reason} ->
        {:error, reason}

      other ->
        {:error, {:bad_return, other}}
    end
  rescue
    exception -> {:error, exception}
  catch
    kind, reason when kind in [:exit, :throw] -> {:error, {kind, reason}}
  end

  defp migrate_components(%Record{components: components, view: view}, from, to) do
    Enum.reduce(components, %{}, fn {{name, id} = key, assigns}, kept ->
      case migrate_component(component(name), from, assigns) do
        {:ok, migrated} ->
          Map.put(kept, key, migrated)

        {:error, why} ->
          Logger.warning(
            "LiveStash dropped the stashed state of component #{name} (id #{inspect(id)}) " <>
              "of #{inspect(view)}: migrating version #{inspect(from)} to #{inspect(to)} " <>
              "failed: #{describe(why)}"
          )

          kept
      end
    end)
  end

  defp migrate_component(module, from, assigns) do
    if module && function_exported?(module, :migrate_stash, 2),
      do: apply_migrate(&module.migrate_stash/2, from, assigns),
      else: {:ok, assigns}
  end

  # The name was written by this app from a module's name; one no longer loaded has no
  # migrate_stash/2 to call.
  defp component(name) do
    module = String.to_existing_atom(name)
    if Code.ensure_loaded?(module), do: module
  rescue
    ArgumentError -> nil
  end
end
