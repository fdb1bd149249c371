// Stored snapshots carry a version. Each migration lifts a snapshot from its key's version to the
// next one; a snapshot with no path to the current version is dropped, never replayed.
import { SNAPSHOT_VERSION } from "../core/constants.js";

export type Migration = (snapshot: Record<string, unknown>) => Record<string, unknown>;
export type Migrations = Readonly<Record<number, Migration>>;

/** Version 1 is the first stored format; future formats add their step here. */
export const MIGRATIONS: Migrations = {};

export function migrate(
  raw: unknown,
  migrations: Migrations = MIGRATIONS,
  target: number = SNAPSHOT_VERSION,
): unknown {
  let snapshot = raw;
  while (isVersioned(snapshot) && snapshot.v < target) {
    const step = migrations[snapshot.v];
    if (!step) return undefined;
    snapshot = step(snapshot);
  }
  return snapshot;
}

const isVersioned = (value: unknown): value is Record<string, unknown> & { v: number } =>
  typeof value === "object" && value !== null && typeof (value as { v?: unknown }).v === "number";
