// Server memory for the ETS-like modes: rows live in this process only, so a restart loses
// them, and each row expires `ttl` after its last write or keep-alive bump.
import type { Clock } from "../clock";

export interface Row {
  readonly assigns: Record<string, unknown>;
  readonly version: string | undefined;
  /** The view module and the view instance (its DOM id) the row belongs to. */
  readonly view: string;
  readonly viewId: string;
  readonly components?: Record<string, Record<string, unknown>>;
  expiresAt: number;
}

export class StashStore {
  private readonly rows = new Map<string, Row>();
  bumps = 0;

  constructor(private readonly clock: Clock) {}

  put(id: string, row: Omit<Row, "expiresAt">, ttlSeconds: number): void {
    this.rows.set(id, { ...row, expiresAt: this.clock.now() + ttlSeconds * 1000 });
  }

  /** Expired rows are dropped on read: the sweep the shim runs on a timer is not observable here. */
  get(id: string): Row | undefined {
    const row = this.rows.get(id);
    if (row && row.expiresAt <= this.clock.now()) {
      this.rows.delete(id);
      return undefined;
    }
    return row;
  }

  bump(id: string, ttlSeconds: number): void {
    const row = this.get(id);
    if (!row) return;
    row.expiresAt = this.clock.now() + ttlSeconds * 1000;
    this.bumps++;
  }

  delete(id: string): void {
    this.rows.delete(id);
  }

  get size(): number {
    return this.rows.size;
  }
}
