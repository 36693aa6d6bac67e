import * as v from "valibot";
import { messages } from "../messages.js";
import type { ValueSchema } from "./parse.js";

/** Django's ProhibitNullCharactersValidator: NUL never reaches the database (PostgreSQL rejects it). */
export const noNullCharacters = v.check((text: string) => !text.includes("\u0000"), messages.nullCharacters);

/** Django's CharField: stripped, no NUL, an empty string means "not filtering". */
export const textValue: ValueSchema<string> = v.pipe(
  v.string(),
  v.trim(),
  noNullCharacters,
  v.transform((text) => (text === "" ? undefined : text)),
);
