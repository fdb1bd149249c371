defmodule LiveStash.FormatVectorsTest do
  @moduledoc """
  Upgrading live_stash loses no stash: every release reads what the releases before it
  wrote. `test/fixtures/formats/*.vectors.exs` hold the bytes a release produced (see
  `test/fixtures/formats/generate.exs`): browser tokens, leases and keyed manifests as
  the client hands them back on a join, and the rows the server stores keep. Each is
  read here through the adapter a view really recovers with.

  The suite's clock (`LiveStash.Test.Clock`) is set back to a few seconds after the
  vectors were signed, so a token's age is what it was then, not the months since; the
  server rows' expiry, kept by the stores themselves, is set to a ttl from now when they
  are put back.
  """
  use ExUnit.Case, async: false

  # The expired tokens of the lease test log one warning each, by design.
  @moduletag :capture_log

  alias LiveStash.{Record, Secret}
  alias LiveStash.Adapters.{ETS, Redis}
  alias LiveStash.Test.{Client, Clock, Define, Flow, ViewServer}

  @files Path.wildcard(Path.expand("../fixtures/formats/*.vectors.exs", __DIR__))

  setup do
    on_exit(&Clock.reset/0)
  end

  # The suite's clock, moved to `ms` (Unix milliseconds).
  defp clock_at(ms) do
    Clock.reset()
    Clock.advance(div(ms, 1000) - Clock.system_time(:second))
  end

  test "vectors of at least one earlier release are committed" do
    assert Enum.any?(@files, &String.ends_with?(&1, "/0.1.0.vectors.exs"))
  end

  defp vectors(file), do: file |> Code.eval_file() |> elem(0)

  defp join(vectors, %{view: view, options: options, id: id}, params) do
    Define.view!(view, options)
    pid = Flow.start!(view, params, id: id, session: vectors.session)
    assigns = ViewServer.assigns(pid)
    ViewServer.stop(pid)
    {assigns.recover_status, Map.take(assigns, Map.keys(vectors.assigns))}
  end

  defp server_params(stash_id),
    do: put_in(Client.join_params([]), [LiveStash.Events.param_key(), "stashId"], stash_id)

  for file <- @files do
    release = Path.basename(file, ".vectors.exs")

    describe "stashes written by live_stash #{release}" do
      setup do
        %{vectors: vectors(unquote(file))}
      end

      test "every browser token (whole and keyed, signed and encrypted) recovers within its ttl",
           %{vectors: v} do
        clock_at(v.signed_at_ms + 5_000)

        for vector <- v.browser do
          assert join(v, vector, vector.alone) == {:recovered, v.assigns}, vector.name
        end
      end

      test "no browser token recovers for another session", %{vectors: v} do
        clock_at(v.signed_at_ms + 5_000)
        other = %{v | session: %{"user_token" => "user-2"}}

        for vector <- v.browser do
          assert {:error, _} = join(other, vector, vector.alone), vector.name
        end
      end

      test "past the ttl, every browser token recovers with its lease, and not without it",
           %{vectors: v} do
        clock_at(v.signed_at_ms + (v.ttl + 20) * 1_000)

        for vector <- v.browser do
          assert join(v, vector, vector.leased) == {:recovered, v.assigns}, vector.name
          assert {status, _} = join(v, vector, vector.alone)
          assert status != :recovered, vector.name
        end
      end

      # ETS rows live and die with their node, so no release finds another's row in its
      # own table: what crosses releases is the record an old node holds. Without the
      # node hint, which names the node that generated the vectors.
      test "the record of an ETS row recovers", %{vectors: %{ets: ets} = v} do
        # Key, record, expiry, ttl: the first four fields of every release's row so far.
        row = :erlang.binary_to_term(ets.row)
        {key, value, ttl_ms} = {elem(row, 0), elem(row, 1), elem(row, 3)}
        :ok = ETS.Table.put(key, value, ttl_ms)

        assert join(v, ets, server_params(ets.stash_id)) == {:recovered, v.assigns}
      end

      test "a Mnesia row recovers", %{vectors: %{mnesia: mnesia} = v} do
        {table, key, value, _expires_at, ttl_ms} = :erlang.binary_to_term(mnesia.row)
        expires_at = System.system_time(:millisecond) + ttl_ms
        :ok = :mnesia.dirty_write({table, key, value, expires_at, ttl_ms})

        assert join(v, mnesia, server_params(mnesia.stash_id)) == {:recovered, v.assigns}
      end

      test "a Redis row (value layout 2) opens under the key its stash id names",
           %{vectors: %{redis: redis} = v} do
        options = %LiveStash.Options{stored_keys: [], session_key: :user_token}
        session = Secret.binding(options, v.session, LiveStash.Test.Endpoint)
        legacy = Secret.legacy_binding(options, v.session)

        keys =
          for b <- [session, legacy], do: Redis.key(Secret.scope(redis.secret, b), redis.stash_id)

        assert redis.key in keys

        assert {:ok, record} =
                 Redis.Row.open(LiveStash.Test.Endpoint, redis.secret, redis.key, redis.value)

        expected = %{
          view: redis.view,
          view_id: redis.view_id,
          version: nil,
          session: session,
          legacy_session: legacy
        }

        # Bound as its release bound the session: written back bound anew if need be.
        assert {status, %{assigns: assigns, session: ^session}} = Record.check(record, expected)
        assert status in [:ok, :migrated]
        assert assigns == v.assigns
      end
    end
  end
end
