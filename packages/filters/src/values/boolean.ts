import * as v from "valibot";
import type { ValueSchema } from "./parse.js";

const WORDS: Record<string, boolean> = { true: true, "1": true, false: false, "0": false };

/** django-filter's BooleanWidget: true/false/1/0 in any case; anything else means "not filtering". */
export const booleanValue: ValueSchema<boolean> = v.pipe(
  v.string(),
  v.transform((text) => WORDS[text.trim().toLowerCase()]),
);
