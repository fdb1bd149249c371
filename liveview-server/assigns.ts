// Socket assigns: the state a LiveView or a LiveComponent holds. Its own module so views and
// components share it without importing each other (a view hosts components, never the reverse).
export type Assigns = Record<string, unknown>;
