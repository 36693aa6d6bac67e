// DRF's SimpleMetadata: what OPTIONS answers. Field descriptions come from the
// write serializer's JSON schema (`S.jsonSchema({ mode: "write" })`), for the
// methods (POST, PUT) the requesting user is allowed to use.
import { APIException } from "../exceptions/api-exception.js";
import type { ViewLike } from "../interfaces.js";
import type { Request } from "../request/request.js";

export interface Metadata {
  determineMetadata(request: Request, view: MetadataView): Promise<Record<string, unknown>>;
}
export type MetadataClass = new () => Metadata;

type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
};

/** The parts of a view SimpleMetadata reads; generic views add `getSerializerClass`/`getObject`. */
export interface MetadataView extends ViewLike {
  allowedMethods: string[];
  getViewName(): string;
  getViewDescription(): string;
  getRenderers(): Array<{ mediaType: string }>;
  getParsers(): Array<{ mediaType: string }>;
  checkPermissions(request: Request): Promise<void>;
  checkObjectPermissions(request: Request, obj: unknown): Promise<void> | undefined;
}

interface GenericLike {
  getSerializerClass(): { jsonSchema?(options: { mode: "read" | "write" }): JsonSchema };
  getObject(): Promise<unknown>;
}

function isGeneric(view: unknown): view is GenericLike {
  const v = view as Partial<GenericLike>;
  return typeof v.getSerializerClass === "function" && typeof v.getObject === "function";
}

function fieldType(schema: JsonSchema): string {
  const explicit = schema["x-drf-type"];
  if (typeof explicit === "string") return explicit;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  const format = schema.format;
  switch (type) {
    case "integer":
      return "integer";
    case "number":
      return "float";
    case "boolean":
      return "boolean";
    case "array":
      return "list";
    case "object":
      return schema.properties ? "nested object" : "json";
    case "string":
      if (format === "date-time") return "datetime";
      if (format === "date") return "date";
      if (format === "time") return "time";
      if (format === "email") return "email";
      if (format === "uri") return "url";
      if (format === "decimal") return "decimal";
      if (format === "binary") return "file upload";
      return "string";
    default:
      return "field";
  }
}

/** DRF's default label: the verbose name (underscores as spaces), first letter capitalised. */
function defaultLabel(name: string): string {
  const spaced = name.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function choicesOf(schema: JsonSchema): Array<{ value: unknown; display_name: string }> | undefined {
  if (Array.isArray(schema.enum)) {
    const names = (schema["x-enum-display"] as unknown[] | undefined) ?? schema.enum;
    return schema.enum.map((value, i) => ({ value, display_name: String(names[i] ?? value) }));
  }
  const oneOf = schema.oneOf as Array<{ const?: unknown; title?: string }> | undefined;
  if (Array.isArray(oneOf) && oneOf.every((o) => o && "const" in o)) {
    return oneOf.map((o) => ({ value: o.const, display_name: String(o.title ?? o.const) }));
  }
  return undefined;
}

/** One field in DRF's get_field_info shape. */
export function fieldInfo(
  name: string,
  schema: JsonSchema,
  required: boolean,
  readOnly = false,
): Record<string, unknown> {
  const info: Record<string, unknown> = {
    type: fieldType(schema),
    required: readOnly ? false : required,
    read_only: readOnly || schema.readOnly === true,
    label: typeof schema.title === "string" ? schema.title : defaultLabel(name),
  };
  if (typeof schema.description === "string") info.help_text = schema.description;
  // A non-blank CharField's minLength 1 is not a DRF min_length.
  if (typeof schema.minLength === "number" && schema.minLength > 1) info.min_length = schema.minLength;
  if (typeof schema.maxLength === "number") info.max_length = schema.maxLength;
  if (typeof schema.minimum === "number") info.min_value = schema.minimum;
  if (typeof schema.maximum === "number") info.max_value = schema.maximum;
  const choices = choicesOf(schema);
  if (choices) {
    info.type = "choice";
    info.choices = choices;
  }
  if (schema.type === "array" && schema.items?.properties)
    info.child = { children: fieldsInfo(schema.items) };
  else if (schema.properties) info.children = fieldsInfo(schema);
  return info;
}

/**
 * The serializer's fields in DRF's shape: every field of the read shape (in
 * serializer order; those absent from the write shape are read-only) plus
 * write-only fields.
 */
export function fieldsInfo(write: JsonSchema, read?: JsonSchema): Record<string, unknown> {
  const required = new Set(write.required ?? []);
  const writable = write.properties ?? {};
  const fields: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(read?.properties ?? {})) {
    const own = writable[name];
    fields[name] = own ? fieldInfo(name, own, required.has(name)) : fieldInfo(name, prop, false, true);
  }
  for (const [name, prop] of Object.entries(writable)) {
    if (!(name in fields)) fields[name] = fieldInfo(name, prop, required.has(name));
  }
  return fields;
}

export class SimpleMetadata implements Metadata {
  async determineMetadata(request: Request, view: MetadataView): Promise<Record<string, unknown>> {
    const metadata: Record<string, unknown> = {
      name: view.getViewName(),
      description: view.getViewDescription(),
      renders: view.getRenderers().map((r) => r.mediaType),
      parses: view.getParsers().map((p) => p.mediaType),
    };
    const actions = await this.determineActions(request, view);
    if (actions) metadata.actions = actions;
    return metadata;
  }

  /** POST/PUT field descriptions, only for methods this user may use (DRF checks as if the request were that method). */
  async determineActions(request: Request, view: MetadataView): Promise<Record<string, unknown> | null> {
    if (!isGeneric(view)) return null;
    const actions: Record<string, unknown> = {};
    for (const method of ["PUT", "POST"]) {
      if (!view.allowedMethods.includes(method)) continue;
      const original = request.method;
      (request as { method: string }).method = method;
      try {
        await view.checkPermissions(request);
        if (method === "PUT") await view.getObject();
      } catch (error) {
        if (error instanceof APIException) continue;
        throw error;
      } finally {
        (request as { method: string }).method = original;
      }
      const Serializer = view.getSerializerClass();
      const write = Serializer.jsonSchema?.({ mode: "write" });
      if (write) actions[method] = fieldsInfo(write, Serializer.jsonSchema?.({ mode: "read" }));
    }
    return Object.keys(actions).length > 0 ? actions : null;
  }
}
