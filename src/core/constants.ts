// Defaults and storage names, in one place. Wire names live in protocol.ts.

/** Seconds an entry stays replayable after its view was last seen alive (the server's default ttl). */
export const DEFAULT_TTL_SECONDS = 300;
export const DEFAULT_MAX_ENTRIES = 32;
/** Counted in UTF-16 code units of the stored params, roughly what sessionStorage charges. */
export const DEFAULT_MAX_BYTES = 3 * 1024 * 1024;
/** Writes wait this long so a burst of pushes costs one write; pagehide flushes at once. */
export const FLUSH_DELAY_MS = 50;

/** sessionStorage key of this tab's id and liveness flag (see persistence/tab-id.ts). */
export const TAB_KEY = "live-stash:tab";
/** Prefix of the key a tab's snapshot is stored under, in sessionStorage and IndexedDB alike. */
export const SNAPSHOT_PREFIX = "live-stash:snapshot:";
/** Prefix of the sessionStorage key of the unload journal that backs up IndexedDB (persistence/journal.ts). */
export const JOURNAL_PREFIX = "live-stash:journal:";
export const IDB_DATABASE = "live-stash";
export const IDB_STORE = "snapshots";

/** Version of the stored snapshot format; a snapshot of another version is dropped, never replayed. */
export const SNAPSHOT_VERSION = 1;

/** DOM facts of the LiveView client that live-stash relies on. */
export const MAIN_VIEW_SELECTOR = "[data-phx-main]";
/** Any LiveView container, root or nested. */
export const VIEW_SELECTOR = "[data-phx-session]";
export const ROOT_VIEW_SELECTOR = "[data-phx-session]:not([data-phx-parent-id])";
export const CONNECTED_CLASS = "phx-connected";
