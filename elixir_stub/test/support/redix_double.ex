defmodule LiveStash.Test.RedixDouble do
  @moduledoc """
  Stands in for Redix's public API (`start_link/1`, `command/3`): it reports each call to
  the test process and answers what the test scripted, in the shapes Redix documents:
  `{:ok, value}`, `{:error, %Redix.Error{}}`, `{:error, %Redix.ConnectionError{}}`. The
  structs are built as plain maps, since Redix is not a dependency of the suite.
  """

  def start_link(opts) do
    send(opts[:test_pid] || self(), {:redix_start_link, opts})
    {:ok, self()}
  end

  def command(conn, args, opts) do
    send(self(), {:redix_command, conn, args, opts})

    case Process.get({__MODULE__, :reply}) do
      {:exit, reason} -> exit(reason)
      reply -> reply
    end
  end

  @doc "Scripts the next replies in this process."
  def reply(reply), do: Process.put({__MODULE__, :reply}, reply)

  def redis_error(message), do: %{__struct__: Redix.Error, message: message}
  def connection_error(reason), do: %{__struct__: Redix.ConnectionError, reason: reason}
end
