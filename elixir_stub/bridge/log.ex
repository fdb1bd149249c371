defmodule LiveStash.Bridge.Log do
  @moduledoc false
  # A :logger handler that hands every warning and error to the Node server, which logs it
  # as its own (tests read the server's warnings). It runs in the logging process, so a
  # view's warning reaches the connection before that view's reply does.

  def attach(conn) do
    Logger.configure(level: :warning)
    _ = Logger.remove_backend(:console)
    :logger.add_handler(__MODULE__, __MODULE__, %{level: :warning, config: %{conn: conn}})
  end

  def log(%{level: level, msg: msg, meta: meta}, %{config: %{conn: conn}}) do
    send(conn, {:log, level, text(msg, meta)})
  end

  defp text({:string, chardata}, _meta), do: IO.chardata_to_string(chardata)

  defp text({:report, report}, %{report_cb: cb}) when is_function(cb, 1),
    do: text(cb.(report), %{})

  defp text({:report, report}, _meta), do: inspect(report)
  defp text({format, args}, _meta), do: IO.chardata_to_string(:io_lib.format(format, args))
end
