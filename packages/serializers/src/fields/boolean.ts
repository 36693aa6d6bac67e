import * as v from "valibot";
import type { SerializerContext } from "../context.js";
import { Field, type FieldOptions, type JsonSchema } from "./field.js";
import { parseStep } from "./messages.js";

// DRF's accepted spellings
const TRUE_VALUES = new Set<unknown>([
  "t",
  "T",
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "true",
  "True",
  "TRUE",
  "on",
  "On",
  "ON",
  "1",
  1,
  true,
]);
const FALSE_VALUES = new Set<unknown>([
  "f",
  "F",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "false",
  "False",
  "FALSE",
  "off",
  "Off",
  "OFF",
  "0",
  0,
  false,
]);
const NULL_VALUES = new Set<unknown>(["null", "Null", "NULL", ""]);

export class BooleanField<const O extends FieldOptions = FieldOptions> extends Field<boolean, boolean, O> {
  override get syncRepresentation(): boolean {
    return true;
  }
  // only while toRepresentation is this class's own (a subclass override must be called)
  override get passThrough(): "boolean" | null {
    return this.toRepresentation === BooleanField.prototype.toRepresentation ? "boolean" : null;
  }
  protected override defaultMessages(): Record<string, string> {
    return { invalid: "Must be a valid boolean." };
  }
  protected buildSchema(): v.GenericSchema<unknown, boolean> {
    return v.pipe(
      v.unknown(),
      parseStep((data: unknown): boolean => {
        if (TRUE_VALUES.has(data)) return true;
        if (FALSE_VALUES.has(data)) return false;
        return this.fail("invalid", { input: data });
      }),
    );
  }
  /** "null" spellings count as null when allowNull (DRF's NULL_VALUES). */
  override isNullInput(data: unknown): boolean {
    return this.allowNull && NULL_VALUES.has(data);
  }
  toRepresentation(value: unknown, _c: SerializerContext): boolean {
    if (typeof value === "boolean") return value;
    if (TRUE_VALUES.has(value)) return true;
    if (FALSE_VALUES.has(value)) return false;
    return Boolean(value);
  }
  protected override typeSchema(): JsonSchema {
    return { type: "boolean" };
  }
}
