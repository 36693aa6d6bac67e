// The representation of a field plan, compiled once per plan into one function (as
// fast-json-stringify does for output): an object literal with every key, each value read and
// converted inline, no per-object loop over field descriptors.
import type { SerializerContext } from "../context.js";
import { Field } from "../fields/field.js";
import type { AnyField } from "./types.js";

export type Renderer = ((instance: unknown, context: SerializerContext, owner: object) => unknown) & {
  /** Some field reads the owner (the serializer rendering): it must carry the context rendered under. */
  readonly needsOwner: boolean;
};

/**
 * How a field's representation may be short-cut inline: a value already of this type is output
 * as is (CharField and a string, IntegerField and an integer...). `null`: always call the field.
 */
export type PassThrough = "string" | "integer" | "number" | "boolean" | "any" | null;

const CHECKS: Record<Exclude<PassThrough, null>, (v: string) => string> = {
  string: (v) => `typeof ${v} === "string"`,
  integer: (v) => `Number.isInteger(${v})`,
  number: (v) => `typeof ${v} === "number"`,
  boolean: (v) => `typeof ${v} === "boolean"`,
  any: () => "true",
};

/** Build the renderer of these readable fields. */
export function compileRenderer(fields: readonly AnyField[]): Renderer {
  const getters = fields.map((f) => f.getAttribute.bind(f));
  const reps = fields.map((f) => f.toRepresentation.bind(f));
  const lines: string[] = [];
  const keys = fields.map((f) => JSON.stringify(f.fieldName));
  lines.push(`const out = {${keys.map((k) => `${k}: null`).join(", ")}};`);
  lines.push("let v, x, pending = null;");
  fields.forEach((f, i) => {
    const key = keys[i]!;
    const attrs = f.sourceAttrs;
    // a plain property read, unless the field reads attributes its own way
    if (f.getAttribute === Field.prototype.getAttribute && attrs.length === 1) {
      lines.push(`v = o[${JSON.stringify(attrs[0])}];`);
      lines.push(`if (v === undefined || typeof v === "function") v = g[${i}](o);`);
    } else lines.push(`v = g[${i}](o);`);
    lines.push("if (v != null) {");
    const pass = f.passThrough;
    if (pass) lines.push(`if (${CHECKS[pass]("v")}) out[${key}] = v; else {`);
    lines.push(`x = r[${i}](v, ctx, self);`);
    if (f.syncRepresentation) lines.push(`out[${key}] = x;`);
    else
      lines.push(
        `if (x instanceof Promise) (pending || (pending = [])).push(x.then((y) => { out[${key}] = y; })); else out[${key}] = x;`,
      );
    if (pass) lines.push("}");
    lines.push("}");
  });
  lines.push("return pending === null ? out : Promise.all(pending).then(() => out);");
  // the compiled body is generated from field names quoted with JSON.stringify (no user code)
  const factory = new Function(
    "g",
    "r",
    `return function render(o, ctx, self) {\n${lines.join("\n")}\n};`,
  ) as Function;
  const render = factory(getters, reps) as Renderer;
  (render as { needsOwner: boolean }).needsOwner = fields.some((f) => f.usesOwner);
  return render;
}
