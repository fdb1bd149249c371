/** What went wrong, coarse enough to report each kind once without flooding the console. */
export type LiveStashErrorCode = "options" | "payload" | "stored" | "storage" | "budget";

/** What live-stash hands `onError`; the message names the problem, never a stash token. */
export class LiveStashError extends Error {
  /** The kind of failure: each is reported once per page. */
  readonly code: LiveStashErrorCode;
  constructor(code: LiveStashErrorCode, message: string, options?: { cause?: unknown }) {
    super(`live-stash: ${message}`, options);
    this.name = "LiveStashError";
    this.code = code;
  }
}

/** The `onError` option: receives each kind of failure once. */
export type ErrorHandler = (error: LiveStashError) => void;
export type Report = (code: LiveStashErrorCode, message: string, cause?: unknown) => void;

const warn: ErrorHandler = (error) => console.warn(error.message);

/**
 * Each code is reported once per page: a storage that throws on every write or a server that keeps
 * sending a bad payload must not flood the console. Messages never carry stash tokens.
 */
export function createReporter(onError: ErrorHandler = warn): Report {
  const seen = new Set<LiveStashErrorCode>();
  return (code, message, cause) => {
    if (seen.has(code)) return;
    seen.add(code);
    try {
      onError(new LiveStashError(code, message, { cause }));
    } catch {
      // A throwing handler must not break the event path it was called from.
    }
  };
}
