// The BEAM's clock, movable: the bridge runs under libfaketime with a timestamp file holding an
// offset, read on every clock call (FAKETIME_NO_CACHE), so moving the server clock moves the
// library's System.system_time and monotonic time at once. The BEAM writes the file itself
// (LiveStash.Bridge.Setup.advance_clock/1), in order with the calls before it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LIBS = [
  "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
  "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
  "/usr/lib/faketime/libfaketime.so.1",
];

export interface BeamClock {
  /** Environment for the BEAM: empty when libfaketime is missing. */
  readonly env: Record<string, string>;
  readonly dir: string;
  /** The timestamp file libfaketime reads. */
  readonly file: string;
  /** Adds `ms` to the offset; returns the new offset in ms. */
  advance(ms: number): number;
  dispose(): void;
}

export function createBeamClock(): BeamClock {
  const dir = mkdtempSync(join(tmpdir(), "live-stash-bridge-"));
  const file = join(dir, "faketime");
  const lib = LIBS.find((path) => existsSync(path));
  let offsetMs = 0;
  writeFileSync(file, "+0\n");
  return {
    env: lib
      ? { LD_PRELOAD: lib, FAKETIME_TIMESTAMP_FILE: file, FAKETIME_NO_CACHE: "1", FAKETIME_DONT_RESET: "1" }
      : {},
    dir,
    file,
    advance(ms) {
      if (!lib)
        throw new Error(
          "advanceClock needs libfaketime (Debian: apt-get install libfaketime), which moves the BEAM's clock",
        );
      offsetMs += ms;
      return offsetMs;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
