defmodule LiveStash.Test.RedisServer do
  @moduledoc """
  A real `redis-server` for the suite: a free loopback port, persistence off, owned by
  this process (start it with `start_supervised!/1`) and stopped with it. A wrapper shell
  kills the server when this process or the whole VM goes away, so none is left behind.

  A missing `redis-server` or `redis-cli` raises: the Redis suites fail, never skip.
  """

  use GenServer

  @ready_ms 10_000

  def start_link(opts \\ []), do: GenServer.start_link(__MODULE__, opts)

  def port(server), do: GenServer.call(server, :port)
  def url(server), do: "redis://127.0.0.1:#{port(server)}/0"

  @doc "Runs one command with redis-cli and returns its raw output, trimmed."
  def command!(server, args), do: cli!(port(server), args)

  def dbsize(server), do: server |> command!(["DBSIZE"]) |> String.to_integer()

  @doc "`kill -9` of the server process, as a crash would; returns once it is gone."
  def kill!(server), do: GenServer.call(server, :kill, @ready_ms)

  @doc "Freezes the server (SIGSTOP): connections stay open but nothing answers."
  def pause!(server), do: GenServer.call(server, {:signal, "-STOP"})

  @doc "Thaws a paused server (SIGCONT)."
  def resume!(server), do: GenServer.call(server, {:signal, "-CONT"})

  @doc """
  Stalls the server for `seconds` with `DEBUG SLEEP` (it answers nothing meanwhile, as a
  Redis busy with a slow command does). Returns, once the stall is in effect, a Task that
  ends when the server answers again.
  """
  def stall!(server, seconds) do
    port = port(server)
    stall = Task.async(fn -> cli!(port, ["DEBUG", "SLEEP", to_string(seconds)]) end)
    wait_until(fn -> not answers?(port, 100) end, "redis-server to stall")
    stall
  end

  @doc "How many times the server ran `command` (lower case, e.g. \"set\"), from INFO."
  def calls(server, command) do
    case Regex.run(~r/cmdstat_#{command}:calls=(\d+)/, command!(server, ["INFO", "commandstats"])) do
      [_, calls] -> String.to_integer(calls)
      nil -> 0
    end
  end

  @doc """
  Starts the server again on the same port: empty (persistence is off), unless `save!/1`
  wrote a snapshot, which it then loads and deletes, as a Redis with persistence would
  come back after a crash.
  """
  def restart!(server) do
    :ok = GenServer.call(server, :restart, @ready_ms)
    _ = File.rm(dump_path(port(server)))
    :ok
  end

  @doc "Writes a snapshot (SAVE) for the next `restart!/1` to load."
  def save!(server), do: "OK" = command!(server, ["SAVE"])

  # Per port: servers of parallel test runs share the temp dir.
  defp dump_path(port), do: Path.join(System.tmp_dir!(), "live-stash-redis-#{port}.rdb")

  @doc """
  Restarts the :live_stash application with the Redis adapter active and pointed at
  `server`, as an app's config would. Returns a function that puts the old config back.
  """
  def activate!(server, extra \\ []) do
    previous = Application.get_all_env(:live_stash)
    adapters = Enum.uniq(List.wrap(previous[:adapters]) ++ [LiveStash.Adapters.Redis])
    restart_app!(Keyword.merge(previous, [adapters: adapters, redis: url(server)] ++ extra))

    fn ->
      for {key, _} <- Application.get_all_env(:live_stash),
          do: Application.delete_env(:live_stash, key)

      restart_app!(previous)
    end
  end

  defp restart_app!(env) do
    ExUnit.CaptureLog.capture_log(fn ->
      :ok = Application.stop(:live_stash)
      Application.put_all_env(live_stash: env)
      {:ok, _} = Application.ensure_all_started(:live_stash)
    end)
  end

  @impl true
  def init(_opts) do
    exe = executable!("redis-server")
    executable!("redis-cli")
    {:ok, spawn_server(%{exe: exe, port: free_port(), wrapper: nil, os_pid: nil})}
  end

  @impl true
  def handle_call(:port, _from, state), do: {:reply, state.port, state}

  def handle_call(:kill, _from, state) do
    {_, 0} = System.cmd("kill", ["-9", state.os_pid])
    wait_until(fn -> not ping?(state.port) end, "redis-server to die")
    {:reply, :ok, close(state)}
  end

  def handle_call({:signal, signal}, _from, state) do
    {_, 0} = System.cmd("kill", [signal, state.os_pid])
    {:reply, :ok, state}
  end

  def handle_call(:restart, _from, state), do: {:reply, :ok, spawn_server(close(state))}

  @impl true
  def handle_info({wrapper, _message}, %{wrapper: wrapper} = state), do: {:noreply, state}
  def handle_info(_stale, state), do: {:noreply, state}

  @impl true
  def terminate(_reason, state), do: close(state)

  defp spawn_server(state) do
    # `read` returns when our end of stdin closes (this process or the VM died).
    script = ~s(exe="$1"; shift; "$exe" "$@" & pid=$!; read _; kill $pid; wait $pid)

    args =
      ["-c", script, "live-stash-redis", state.exe, "--port", to_string(state.port)] ++
        ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"] ++
        ["--enable-debug-command", "local"] ++
        ["--dir", System.tmp_dir!(), "--dbfilename", Path.basename(dump_path(state.port))]

    wrapper = Port.open({:spawn_executable, "/bin/sh"}, [:binary, :stderr_to_stdout, args: args])
    wait_until(fn -> ping?(state.port) end, "redis-server on port #{state.port}")
    %{state | wrapper: wrapper, os_pid: os_pid(state.port)}
  end

  defp close(%{wrapper: nil} = state), do: state

  defp close(state) do
    Port.close(state.wrapper)
    wait_until(fn -> not ping?(state.port) end, "redis-server to stop")
    %{state | wrapper: nil, os_pid: nil}
  end

  defp os_pid(port) do
    [_, pid] = Regex.run(~r/process_id:(\d+)/, cli!(port, ["INFO", "server"]))
    pid
  end

  defp ping?(port) do
    match?(
      {"PONG" <> _, 0},
      System.cmd("redis-cli", ["-p", "#{port}", "PING"], stderr_to_stdout: true)
    )
  end

  # A PING on a fresh connection, answered within `ms`?
  defp answers?(port, ms) do
    case :gen_tcp.connect({127, 0, 0, 1}, port, [:binary, active: false], ms) do
      {:ok, socket} ->
        :ok = :gen_tcp.send(socket, "PING\r\n")
        answered? = match?({:ok, "+PONG" <> _}, :gen_tcp.recv(socket, 0, ms))
        :gen_tcp.close(socket)
        answered?

      {:error, _} ->
        false
    end
  end

  defp cli!(port, args) do
    {out, 0} = System.cmd("redis-cli", ["-p", "#{port}" | args], stderr_to_stdout: true)
    String.trim(out)
  end

  defp wait_until(fun, what, deadline \\ nil) do
    deadline = deadline || System.monotonic_time(:millisecond) + @ready_ms

    cond do
      fun.() -> :ok
      System.monotonic_time(:millisecond) > deadline -> raise "timed out waiting for #{what}"
      true -> wait_again(fun, what, deadline)
    end
  end

  defp wait_again(fun, what, deadline) do
    Process.sleep(20)
    wait_until(fun, what, deadline)
  end

  defp executable!(name) do
    System.find_executable(name) ||
      raise "#{name} is not installed, and the Redis suites need a real server: " <>
              "install Debian's redis-server package (apt-get install redis-server)."
  end

  defp free_port do
    {:ok, socket} = :gen_tcp.listen(0, ip: {127, 0, 0, 1})
    {:ok, port} = :inet.port(socket)
    :ok = :gen_tcp.close(socket)
    port
  end
end
