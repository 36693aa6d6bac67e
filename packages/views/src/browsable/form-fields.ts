// The HTML form of a write serializer: one input per writable field, its kind
// chosen from the field's JSON schema (the one description the OpenAPI
// generator and OPTIONS also read) and, for relations, from the field's
// queryset (a <select> of the related rows, DRF's html_cutoff of 1000).
import { ChoiceField, HiddenField, MultipleChoiceField, RelatedField } from "@x/serializers";
import type { SerializerClassLike, SerializerContext, SerializerLike } from "../generics/contracts.js";

/** How the page's script turns an input back into JSON. */
export type Encoding =
  | "string"
  | "integer"
  | "number"
  | "decimal"
  | "boolean"
  | "json"
  | "choice"
  | "choices";

export type InputKind =
  | "text"
  | "textarea"
  | "number"
  | "checkbox"
  | "select"
  | "date"
  | "datetime-local"
  | "time"
  | "email"
  | "url";

export interface FormOption {
  /** The option's value as JSON text (the script parses it back: numbers stay numbers). */
  json: string;
  label: string;
}

export interface FormField {
  name: string;
  label: string;
  kind: InputKind;
  encoding: Encoding;
  required: boolean;
  allowNull: boolean;
  helpText?: string;
  /** The input's current value: the instance's, or what was just submitted. */
  value: unknown;
  options?: FormOption[];
  multiple?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  errors: string[];
}

type JsonSchema = Record<string, unknown>;

/** DRF's html_cutoff: at most this many related rows in one <select>. */
export const HTML_CUTOFF = 1000;

function defaultLabel(name: string): string {
  const spaced = name.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function schemaType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((t) => t !== "null") as string | undefined;
  return type as string | undefined;
}

function choicesOf(schema: JsonSchema): FormOption[] | undefined {
  if (Array.isArray(schema.enum)) {
    const names = (schema["x-enum-display"] as unknown[] | undefined) ?? schema.enum;
    return schema.enum
      .filter((value) => value !== null)
      .map((value, i) => ({ json: JSON.stringify(value), label: String(names[i] ?? value) }));
  }
  const oneOf = schema.oneOf as Array<{ const?: unknown; title?: string }> | undefined;
  if (Array.isArray(oneOf) && oneOf.length > 0 && oneOf.every((o) => o && "const" in o)) {
    return oneOf.map((o) => ({ json: JSON.stringify(o.const), label: String(o.title ?? o.const) }));
  }
  return undefined;
}

/** A ChoiceField's own `[value, label]` pairs (values, pairs or a `{value: label}` map). */
function declaredChoices(choices: unknown): FormOption[] {
  const pairs: Array<[unknown, unknown]> = Array.isArray(choices)
    ? choices.map((c): [unknown, unknown] => (Array.isArray(c) ? [c[0], c[1]] : [c, c]))
    : Object.entries((choices ?? {}) as Record<string, unknown>);
  return pairs.map(([value, label]) => ({ json: JSON.stringify(value), label: String(label) }));
}

function kindOf(schema: JsonSchema): { kind: InputKind; encoding: Encoding } | null {
  const type = schemaType(schema);
  const format = schema.format;
  if (format === "decimal") return { kind: "number", encoding: "decimal" };
  if (format === "binary") return null; // uploads cannot travel in a JSON body
  switch (type) {
    case "integer":
      return { kind: "number", encoding: "integer" };
    case "number":
      return { kind: "number", encoding: "number" };
    case "boolean":
      return { kind: "checkbox", encoding: "boolean" };
    case "string":
      if (format === "date") return { kind: "date", encoding: "string" };
      if (format === "date-time") return { kind: "datetime-local", encoding: "string" };
      if (format === "time") return { kind: "time", encoding: "string" };
      if (format === "email") return { kind: "email", encoding: "string" };
      if (format === "uri") return { kind: "url", encoding: "string" };
      // Unbounded text (a TextField) gets a textarea, as in DRF.
      return { kind: typeof schema.maxLength === "number" ? "text" : "textarea", encoding: "string" };
    default:
      // Lists, dicts, JSON: edited as JSON text.
      return { kind: "textarea", encoding: "json" };
  }
}

interface RelationLike {
  many: boolean;
  options: {
    queryset?: PromiseLike<unknown[]> & { slice?(start: number, end: number): PromiseLike<unknown[]> };
  };
  toRepresentation(value: unknown, context: SerializerContext): unknown;
}

async function relationOptions(field: RelationLike, context: SerializerContext): Promise<FormOption[]> {
  const queryset = field.options.queryset;
  if (!queryset) return [];
  const rows = await (queryset.slice ? queryset.slice(0, HTML_CUTOFF) : queryset);
  const options: FormOption[] = [];
  for (const row of rows) {
    // The field's own representation is the value it accepts back (pk, slug, URL).
    const rep = await field.toRepresentation(field.many ? [row] : row, context);
    const value = field.many ? (rep as unknown[])[0] : rep;
    options.push({ json: JSON.stringify(value), label: String(row) });
  }
  return options;
}

function fieldErrors(errors: unknown): string[] {
  if (errors === undefined || errors === null) return [];
  if (Array.isArray(errors) && errors.every((e) => typeof e === "string")) return errors as string[];
  if (typeof errors === "string") return [errors];
  // Nested (list items, dict keys): shown as the JSON DRF answered.
  return [JSON.stringify(errors)];
}

export interface BuildFormOptions {
  Serializer: SerializerClassLike;
  /** Serializer context of the view (reverse, request): relation options are represented with it. */
  context: SerializerContext;
  /** Initial values by field name (the instance's representation, or the submitted data). */
  values: Record<string, unknown>;
  /** Field errors by name (a 400's body). */
  errors: Record<string, unknown>;
}

/** The form fields of a write serializer, in serializer order. */
export async function buildFormFields(options: BuildFormOptions): Promise<FormField[]> {
  const { Serializer, context, values, errors } = options;
  const schema = Serializer.jsonSchema?.({ mode: "write" }) as JsonSchema | undefined;
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  const serializer = new Serializer({ context }) as SerializerLike & {
    fields?: ReadonlyMap<string, unknown>;
  };
  const fields = serializer.fields;
  const out: FormField[] = [];
  for (const [name, prop] of Object.entries(properties)) {
    const field = fields?.get(name);
    if (field instanceof HiddenField) continue;
    const base = {
      name,
      label: typeof prop.title === "string" ? prop.title : defaultLabel(name),
      required: required.has(name),
      allowNull: Array.isArray(prop.type) ? prop.type.includes("null") : prop.nullable === true,
      value: values[name],
      errors: fieldErrors(errors[name]),
      ...(typeof prop.description === "string" ? { helpText: prop.description } : {}),
    };
    if (field instanceof RelatedField && (field as unknown as RelationLike).options.queryset) {
      const relation = field as unknown as RelationLike;
      out.push({
        ...base,
        kind: "select",
        encoding: relation.many ? "choices" : "choice",
        multiple: relation.many,
        options: await relationOptions(relation, context),
      });
      continue;
    }
    // A ChoiceField's own labels; else the schema's enum.
    const declared = field instanceof ChoiceField || field instanceof MultipleChoiceField;
    const itemChoices =
      schemaType(prop) === "array" ? choicesOf((prop.items ?? {}) as JsonSchema) : undefined;
    const choices = declared ? declaredChoices(field.options.choices) : (choicesOf(prop) ?? itemChoices);
    if (choices) {
      const multiple = field instanceof MultipleChoiceField || (!declared && itemChoices !== undefined);
      out.push({
        ...base,
        kind: "select",
        encoding: multiple ? "choices" : "choice",
        multiple,
        options: choices,
      });
      continue;
    }
    const kind = kindOf(prop);
    if (!kind) continue;
    out.push({
      ...base,
      ...kind,
      ...(typeof prop.minimum === "number" ? { min: prop.minimum } : {}),
      ...(typeof prop.maximum === "number" ? { max: prop.maximum } : {}),
      ...(typeof prop.maxLength === "number" ? { maxLength: prop.maxLength } : {}),
    });
  }
  return out;
}
