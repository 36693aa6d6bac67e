import { expect, it } from "vitest";
import { CharField, Serializer } from "../src/index.js";

class S extends Serializer.of({ name: new CharField({ maxLength: 5 }) }) {}
// DRF's ProhibitNullCharactersValidator / ProhibitSurrogateCharactersValidator on every CharField.
it("refuses NUL and lone surrogate characters with DRF's messages, keeps proper pairs", async () => {
  for (const [input, msg] of [
    ["a\u0000b", "Null characters are not allowed."],
    ["a\ud800b", "Surrogate characters are not allowed: U+D800."],
    ["ok", null],
    ["😀", null],
  ] as const) {
    const s = new S({ data: { name: input } });
    const ok = await s.isValid();
    if (msg === null) expect(ok).toBe(true);
    else expect(s.errors).toEqual({ name: [msg] });
  }
});
