// The Elixir package (elixir_stub/, fetched with `sparse: "elixir_stub"`) must carry the same
// bundle: apps import it from deps/live_stash/elixir_stub/assets/js/live-stash.js.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("elixir_stub/assets/js", { recursive: true });
copyFileSync("assets/js/live-stash.js", "elixir_stub/assets/js/live-stash.js");
