// One BEAM beside one server: the real LiveStash library (elixir_stub/bridge), over a loopback
// socket. It is started with the server and stopped with it; if it dies, every pending call
// rejects, later calls reject at once, and the server says so on stderr: nothing waits on it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EBIN_DIR, ensureBridgeBuilt } from "./build";
import { encodeFrame, frameReader } from "./frames";

export type EventEntry = [string, Record<string, unknown>];

export interface BeamPush {
  readonly events: EventEntry[];
  /** The push came from a keep-alive beat. */
  readonly beat: boolean;
}

export interface BeamOptions {
  /** The endpoint's secret key base. */
  readonly secret: string;
  /**
   * Boot the next server's BEAM now, in the background (the e2e suite starts one server per
   * test: a BEAM's boot then overlaps the test before instead of delaying the next).
   */
  readonly spare?: boolean;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Incoming =
  | { re: number; ok: unknown }
  | { re: number; error: string }
  | { push: string; events: EventEntry[]; beat: boolean }
  | { log: string; text: string }
  | { died: string; reason: string };

const START_TIMEOUT_MS = 30_000;

let spare: Promise<Beam> | undefined;

export class Beam {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly pushes = new Map<string, (push: BeamPush) => void>();
  private readonly deaths = new Map<string, (reason: string) => void>();
  private failure: Error | undefined;
  private closing = false;
  private stderr = "";

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: Socket,
    /** Its Mnesia directory, removed with it. */
    private readonly dir: string,
  ) {
    socket.on(
      "data",
      frameReader((frame) => this.receive(frame as Incoming)),
    );
    socket.on("close", () => this.fail("the connection to the BEAM closed"));
    socket.on("error", () => undefined);
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.once("exit", (code, signal) => this.fail(`the BEAM exited (${signal ?? `code ${code}`})`));
  }

  /** A BEAM with the library started (ETS, BrowserMemory, Mnesia, and Redis on a redis-server of its own). */
  static async start(opts: BeamOptions): Promise<Beam> {
    const next = spare ?? Beam.boot();
    spare = undefined;
    if (opts.spare) {
      spare = Beam.boot();
      // A spare nobody takes dies with this process (its connection closes); a failed one is retried by the next start.
      spare.catch(() => {
        spare = undefined;
      });
    }
    const beam = await next;
    await beam.call("secret", { secret: opts.secret });
    return beam;
  }

  private static async boot(): Promise<Beam> {
    ensureBridgeBuilt();
    const dir = mkdtempSync(join(tmpdir(), "live-stash-bridge-"));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const child = spawn("elixir", ["--erl", "-noinput", "-pa", EBIN_DIR, "-e", "LiveStash.Bridge.main()"], {
      env: { ...process.env, LIVE_STASH_BRIDGE_PORT: String(port) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    try {
      const socket = await new Promise<Socket>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("live_stash bridge: the BEAM did not connect within 30 s")),
          START_TIMEOUT_MS,
        );
        child.once("exit", (code) =>
          reject(new Error(`live_stash bridge: the BEAM exited before connecting (code ${code})`)),
        );
        server.once("connection", (socket) => {
          clearTimeout(timer);
          resolve(socket);
        });
      });
      const beam = new Beam(child, socket, dir);
      await beam.call("setup", { redis: true, mnesia_dir: dir });
      return beam;
    } catch (error) {
      child.kill("SIGKILL");
      removeDir(dir);
      throw error;
    } finally {
      server.close();
    }
  }

  /** The BEAM's OS process id (a test kills it to check a death is loud). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why the BEAM is gone, once it is. */
  get failed(): Error | undefined {
    return this.failure;
  }

  call<T>(op: string, args: Record<string, unknown>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(encodeFrame({ ...args, id, op }));
    });
  }

  /** What the view `ref` pushes by itself (keep-alive beats, auto stash timers), and its death. */
  subscribe(ref: string, onPush: (push: BeamPush) => void, onDeath: (reason: string) => void): void {
    this.pushes.set(ref, onPush);
    this.deaths.set(ref, onDeath);
  }

  unsubscribe(ref: string): void {
    this.pushes.delete(ref);
    this.deaths.delete(ref);
  }

  /**
   * Moves the library's clock (`LiveStash.Clock`, the OS's is left alone); the redis-server's
   * keys age by the same amount before the next call runs.
   */
  advanceClock(ms: number): void {
    // The BEAM moves its own clock, after every call sent before this one is done.
    this.call("advance", { ms }).catch(() => undefined);
  }

  close(): Promise<void> {
    this.closing = true;
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once("exit", () => resolve());
    });
    // Nothing in it outlives the server (its redis-server dies with it), so no graceful halt:
    // a test's teardown must not leave its pages time to notice the server going.
    // Nor is its exit awaited: SIGKILL cannot be refused, and its port is nobody's.
    this.child.kill("SIGKILL");
    this.socket.destroy();
    void exited.then(() => removeDir(this.dir));
    return Promise.resolve();
  }

  private receive(frame: Incoming): void {
    if ("re" in frame) {
      const pending = this.pending.get(frame.re);
      this.pending.delete(frame.re);
      if ("error" in frame) pending?.reject(new Error(`live_stash bridge: ${frame.error}`));
      else pending?.resolve(frame.ok);
    } else if ("push" in frame) {
      this.pushes.get(frame.push)?.({ events: frame.events, beat: frame.beat });
    } else if ("log" in frame) {
      if (frame.log === "warning") console.warn(frame.text);
      else console.error(frame.text);
    } else if ("died" in frame) {
      console.error(`live_stash bridge: view ${frame.died} crashed in the BEAM: ${frame.reason}`);
      this.deaths.get(frame.died)?.(frame.reason);
    }
  }

  private fail(why: string): void {
    if (this.failure) return;
    this.failure = new Error(`live_stash bridge: ${why}${this.stderr ? `; its last output:\n${this.stderr}` : ""}`);
    if (!this.closing) console.error(this.failure.message);
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
    for (const onDeath of this.deaths.values()) onDeath(why);
    if (this.closing) removeDir(this.dir);
  }
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
