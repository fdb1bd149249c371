// The Elixir package (elixir_stub/) carries the same bundle, for a Hex package or a `sparse:`
// checkout of that folder alone; a `subdir:` git dependency imports the root copy.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("elixir_stub/assets/js", { recursive: true });
copyFileSync("assets/js/live-stash.js", "elixir_stub/assets/js/live-stash.js");
