// The Elixir package (elixir_stub/, fetched with `sparse: "elixir_stub"`) must carry the same
// bundle at the path the seed README imports from.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("elixir_stub/assets/js", { recursive: true });
copyFileSync("assets/js/live-stash.js", "elixir_stub/assets/js/live-stash.js");
