import * as v from "valibot";
import type { ValueSchema } from "./parse.js";

/** Django's CharField: stripped, an empty string means "not filtering". */
export const textValue: ValueSchema<string> = v.pipe(
  v.string(),
  v.trim(),
  v.transform((text) => (text === "" ? undefined : text)),
);
