// The BEAM's clock, movable: the bridge runs under libfaketime with a timestamp file holding an
// offset, read on every clock call (FAKETIME_NO_CACHE), so moving the server clock moves the
// library's System.system_time and monotonic time, and the redis-server it started, at once.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LIBS = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1"];

export interface BeamClock {
  /** Environment for the BEAM: empty when libfaketime is missing. */
  readonly env: Record<string, string>;
  readonly dir: string;
  advance(ms: number): void;
  dispose(): void;
}

export function createBeamClock(): BeamClock {
  const dir = mkdtempSync(join(tmpdir(), "live-stash-bridge-"));
  const file = join(dir, "faketime");
  const lib = LIBS.find((path) => existsSync(path));
  let offsetMs = 0;
  const write = (): void => writeFileSync(file, `+${(offsetMs / 1000).toFixed(3)}\n`);
  write();
  return {
    env: lib ? { LD_PRELOAD: lib, FAKETIME_TIMESTAMP_FILE: file, FAKETIME_NO_CACHE: "1", FAKETIME_DONT_RESET: "1" } : {},
    dir,
    advance(ms) {
      if (!lib) throw new Error("advanceClock needs libfaketime (Debian: apt-get install faketime), which moves the BEAM's clock");
      offsetMs += ms;
      write();
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
