// zod decides once, when a schema is built, whether it may compile parsers with `new Function`.
// Under a strict CSP even the probe for that is reported as a violation, so turn it off before
// any schema exists: every module takes `z` from here, never from "zod/mini" directly.
import * as z from "zod/mini";

z.config({ jitless: true });

export { z };
