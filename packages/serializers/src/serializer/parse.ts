// The input side of a field plan compiled once per plan into one function: plain fields run
// their valibot schema inline (valibot's own ~run, one dataset per value); fields with async
// parts, validate_<field> hooks, validators or custom parsing go through parseField.
import type { RunState } from "../context.js";
import type { ErrorCollector } from "../errors.js";
import { SKIP } from "../fields/defaults.js";
import { Field } from "../fields/field.js";
import { setValue } from "./plan.js";
import type { AnyField } from "./types.js";

/** What parsing one object accumulates. */
export interface ParseAcc {
  out: Record<string, unknown>;
  errors: ErrorCollector | null;
  pending: Promise<void>[] | null;
}

interface Owner {
  parseField(field: AnyField, input: Record<string, unknown>, state: RunState, acc: ParseAcc): void;
}

export type Parser = (input: Record<string, unknown>, state: RunState, owner: Owner, acc: ParseAcc) => void;

interface PlanLike {
  readonly writable: readonly AnyField[];
  readonly hooks: ReadonlySet<string>;
}

const RUN_CONFIG = Object.freeze({ abortEarly: false, abortPipeEarly: false });

/** A field whose whole parsing is its compiled schema (no overrides, validators, or hook). */
function isPlain(f: AnyField, plan: PlanLike): boolean {
  return (
    f.runValidation === Field.prototype.runValidation &&
    f.validateValue === Field.prototype.validateValue &&
    f.toInternalValue === Field.prototype.toInternalValue &&
    !(f.options.validators && f.options.validators.length > 0) &&
    !plan.hooks.has(f.fieldName)
  );
}

export function compileParser(plan: PlanLike): Parser {
  const fields = plan.writable;
  const schemas = fields.map((f) => (isPlain(f, plan) ? f.schema : null));
  const lines: string[] = ["let v, d;"];
  fields.forEach((f, i) => {
    const key = JSON.stringify(f.fieldName);
    if (!schemas[i]) {
      lines.push(`owner.parseField(f[${i}], input, state, acc);`);
      return;
    }
    const attrs = f.sourceAttrs;
    const assign =
      attrs.length === 1
        ? `acc.out[${JSON.stringify(attrs[0])}] = v;`
        : `setValue(acc.out, f[${i}].sourceAttrs, v);`;
    const nullish = f.isNullInput === Field.prototype.isNullInput ? "" : ` || f[${i}].isNullInput(v)`;
    lines.push(`v = input[${key}];`);
    // missing / null values and failures take the field's own path (required, default, messages)
    lines.push(`if (v === undefined || v === null${nullish}) owner.parseField(f[${i}], input, state, acc);`);
    lines.push(`else { d = s[${i}]["~run"]({ value: v }, CFG);`);
    lines.push(`if (d.issues === undefined) { v = d.value; ${assign} }`);
    lines.push(`else owner.parseField(f[${i}], input, state, acc); }`);
  });
  // the compiled body is generated from field names quoted with JSON.stringify (no user code)
  const factory = new Function(
    "f",
    "s",
    "CFG",
    "SKIP",
    "setValue",
    `return function parse(input, state, owner, acc) {\n${lines.join("\n")}\n};`,
  ) as Function;
  return factory(fields, schemas, RUN_CONFIG, SKIP, setValue) as Parser;
}
