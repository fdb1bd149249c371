// Why a stash was not recovered, named as the shim's LiveStash.Failure names it, and the one
// warning that says so (naming the view, never a token).

export type Reason = "tampered" | "expired" | "version_mismatch" | "wrong_view" | "mixed_keys" | "malformed";

export interface Failure {
  /** What the view's recovery reports for it. */
  readonly status: "not_found" | "error";
  readonly reason: Reason;
  /** Which part failed (a key name, never a token). */
  readonly detail?: string;
}

const DESCRIBE: Readonly<Record<Reason, string>> = {
  tampered: "it failed authentication (altered, or signed with another secret)",
  expired: "it expired",
  version_mismatch: "it was written by another version of the view",
  wrong_view: "the stash belongs to another view",
  mixed_keys: "its keys do not all belong to the stash its manifest names",
  malformed: "it is no record this server reads",
};

export function warn(view: string, domId: string, { reason, detail }: Failure): void {
  console.warn(`LiveStash did not recover the stash of ${view} (${domId}): ${DESCRIBE[reason]} (${reason})${detail ? `: ${detail}` : ""}`);
}
