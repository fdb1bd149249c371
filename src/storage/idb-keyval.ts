// The part of idb-keyval live-stash uses. Loading this module, not the package's namespace, lets
// the single-file bundle drop the rest of idb-keyval.
export { createStore, del, get, keys, set } from "idb-keyval";
