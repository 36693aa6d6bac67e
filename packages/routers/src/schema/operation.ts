// One OpenAPI operation from a route, an HTTP method and the action it maps to.
import type { Pagination } from "@x/views";
import type { PathParam } from "../path.js";
import type { URLPattern } from "../url-pattern.js";
import { type Components, ERROR_DETAIL, isSerializer, VALIDATION_ERROR } from "./components.js";
import type { OperationOverride, SchemaSource } from "./extend-schema.js";
import type { ViewFacts } from "./inspect-view.js";
import { allowsAnonymous, type DeclaredSecurityScheme, securitySchemeOf } from "./security.js";
import type { JsonSchema, OperationObject, ParameterObject, ResponseObject } from "./types.js";

const ROUTE_ACTIONS = new Set(["list", "create", "retrieve", "update", "partialUpdate", "destroy"]);
const WRITE_METHODS = new Set(["post", "put", "patch"]);
const JSON_TYPE = "application/json";

export interface OperationInput {
  readonly pattern: URLPattern;
  readonly params: readonly PathParam[];
  readonly method: string;
  readonly action: string;
  readonly facts: ViewFacts;
  readonly override: OperationOverride;
  readonly operationId: string;
  readonly components: Components;
  /** Collects the security schemes in use for components.securitySchemes. */
  readonly schemes: Map<string, DeclaredSecurityScheme>;
}

function json(schema: JsonSchema): Record<string, { schema: JsonSchema }> {
  return { [JSON_TYPE]: { schema } };
}

const INTEGER_FIELD = /^(Small|Big|Positive|PositiveSmall|PositiveBig)?(Auto|Integer)Field$/;

interface FieldLike {
  type?: string;
}
interface ModelLike {
  meta?: {
    pk?: FieldLike;
    getField?(name: string): FieldLike | undefined;
    verboseName?: string;
    modelName?: string;
  };
}

/** Type of the viewset's own lookup, from the model field it looks up (`pk` → AutoField → integer). */
function lookupSchema(pattern: URLPattern, param: PathParam): { schema: JsonSchema; description?: string } {
  const stringSchema: JsonSchema =
    param.regex === "[^/.]+" ? { type: "string" } : { type: "string", pattern: `^(?:${param.regex})$` };
  if (/^\[0-9\]\+$|^\\d\+$/.test(param.regex)) return { schema: { type: "integer" } };
  // A choice of literals (`v1|v2`) is an enum.
  if (/^[-\w]+(\|[-\w]+)+$/.test(param.regex))
    return { schema: { type: "string", enum: param.regex.split("|") } };
  const viewset = pattern.viewset as unknown as Record<string, unknown> | null;
  if (!viewset || !pattern.detail) return { schema: stringSchema };
  const field = (viewset.lookupField as string | undefined) ?? "pk";
  const kwarg = (viewset.lookupUrlKwarg as string | undefined) ?? field;
  if (kwarg !== param.name) return { schema: stringSchema };
  const model = (viewset.queryset as { model?: ModelLike } | undefined)?.model;
  const meta = model?.meta;
  let fieldMeta: FieldLike | undefined;
  try {
    fieldMeta = field === "pk" ? meta?.pk : meta?.getField?.(field);
  } catch {
    fieldMeta = undefined;
  }
  const thing = meta?.verboseName ?? meta?.modelName;
  if (fieldMeta?.type && INTEGER_FIELD.test(fieldMeta.type)) {
    return {
      schema: { type: "integer" },
      ...(thing ? { description: `A unique integer value identifying this ${thing}.` } : {}),
    };
  }
  return {
    schema: stringSchema,
    ...(thing ? { description: `A unique value identifying this ${thing}.` } : {}),
  };
}

function pathParameters(input: OperationInput): ParameterObject[] {
  return input.params.map((param) => {
    const { schema, description } = lookupSchema(input.pattern, param);
    return { name: param.name, in: "path", required: true, ...(description ? { description } : {}), schema };
  });
}

function mergeParameters(
  inferred: ParameterObject[],
  extra: readonly ParameterObject[] = [],
): ParameterObject[] {
  const key = (p: ParameterObject) => `${p.in}:${p.name}`;
  const extraKeys = new Set(extra.map(key));
  return [...inferred.filter((p) => !extraKeys.has(key(p))), ...extra];
}

function successStatus(action: string, method: string): string {
  if (action === "create") return "201";
  if (action === "destroy" || (!ROUTE_ACTIONS.has(action) && method === "delete")) return "204";
  return "200";
}

function responseFor(
  source: SchemaSource | null,
  components: Components,
  description: string,
  page: Pagination | null,
): ResponseObject {
  if (source === null) return { description };
  const schema = components.schemaFor(source, "read");
  if (!page) return { description, content: json(schema) };
  const array = { type: "array", items: schema };
  return { description, content: json(page.getPaginatedResponseSchema?.(array) ?? array) };
}

/**
 * The serializer that documents an operation. A route action uses the view's; an extra action
 * only one chosen for it (its own `serializerClass` option, or a `getSerializerClass()` that
 * answers differently for it than the view's default): `favorite` or `cancel`, which answer
 * something else, are not documented with the view's serializer.
 */
function serializerFor(input: OperationInput, purpose: "request" | "response"): SchemaSource | null {
  const { facts, action, pattern } = input;
  const chosen = facts.serializerClass;
  if (ROUTE_ACTIONS.has(action)) return isSerializer(chosen) ? chosen : null;
  // A plain view (ObtainAuthToken) reads its serializer's input; what it answers is its own.
  if (pattern.kind === "view") return purpose === "request" && isSerializer(chosen) ? chosen : null;
  const own = (pattern.initkwargs as { serializerClass?: unknown }).serializerClass;
  if (isSerializer(own)) return own;
  const fallback = (pattern.viewClass as { serializerClass?: unknown }).serializerClass;
  return isSerializer(chosen) && chosen !== fallback ? chosen : null;
}

/** The success response's schema inferred from the serializer, pagination and the action's kind. */
function inferredSuccess(input: OperationInput, status: string): ResponseObject {
  const { facts, components, action, pattern, method } = input;
  if (status === "204") return { description: "No response body" };
  const Serializer = serializerFor(input, "response");
  if (!Serializer) return { description: "", content: json({}) };
  const item = components.schemaFor(Serializer, "read");
  if (action === "list" || input.override.paginated) {
    const array = { type: "array", items: item };
    const paginated = facts.paginator?.getPaginatedResponseSchema?.(array) ?? array;
    return { description: "", content: json(paginated) };
  }
  const many = !ROUTE_ACTIONS.has(action) && !pattern.detail && method === "get";
  return { description: "", content: json(many ? { type: "array", items: item } : item) };
}

function requestSource(input: OperationInput): SchemaSource | null {
  if (input.override.request !== undefined) return input.override.request;
  return serializerFor(input, "request");
}

export function buildOperation(input: OperationInput): OperationObject {
  const { method, action, facts, override, components, pattern } = input;
  const upper = method.toUpperCase();
  const parameters = mergeParameters(
    [
      ...pathParameters(input),
      ...(action === "list"
        ? [...facts.filterParameters, ...(facts.paginator?.schemaParameters?.(facts.view as never) ?? [])]
        : []),
    ] as ParameterObject[],
    override.parameters,
  );

  const operation: OperationObject = {
    operationId: override.operationId ?? input.operationId,
    responses: {},
  };
  if (override.summary) operation.summary = override.summary;
  const description = override.description ?? facts.description;
  if (description) operation.description = description;
  operation.tags = override.tags ?? [pattern.prefix || (pattern.basename ?? "api")];
  if (parameters.length) operation.parameters = parameters;

  let hasBody = false;
  if (WRITE_METHODS.has(method)) {
    const source = requestSource(input);
    if (source !== null) {
      hasBody = true;
      const partial = method === "patch";
      operation.requestBody = {
        required: !partial,
        content: json(components.schemaFor(source, partial ? "partial" : "write")),
      };
    }
  }

  const success = successStatus(action, method);
  if (override.responses) {
    for (const [status, source] of Object.entries(override.responses)) {
      const page = override.paginated && status.startsWith("2") ? facts.paginator : null;
      operation.responses[status] = responseFor(source, components, "", page);
    }
  } else {
    operation.responses[success] = inferredSuccess(input, success);
  }

  // Security: every authentication scheme, and `{}` when anonymous users get through.
  const schemes = facts.authenticationClasses
    .map((Auth) => securitySchemeOf(Auth))
    .filter((s): s is DeclaredSecurityScheme => s !== null);
  for (const s of schemes) input.schemes.set(s.name, s);
  const anonymous = allowsAnonymous(facts.permissionClasses, upper);
  if (override.security) operation.security = override.security;
  else if (schemes.length)
    operation.security = [...schemes.map((s) => ({ [s.name]: [] })), ...(anonymous ? [{}] : [])];

  // DRF's error bodies for what this operation can answer.
  const error = (description: string): ResponseObject => ({
    description,
    content: json(components.error(ERROR_DETAIL)),
  });
  if (hasBody) {
    operation.responses["400"] ??= {
      description: "Validation errors, or a malformed body",
      content: json({ anyOf: [components.error(VALIDATION_ERROR), components.error(ERROR_DETAIL)] }),
    };
  }
  if (!anonymous && facts.authenticationClasses.length > 0) {
    operation.responses["401"] ??= error("Authentication credentials were not provided or are invalid");
  }
  if (facts.permissionClasses.length > 0 && !anonymous) {
    operation.responses["403"] ??= error("You do not have permission to perform this action");
  }
  // 404 where the route looks something up (a mount's prefix parameters are documented as enums or fixed).
  if (pattern.params.length > 0) operation.responses["404"] ??= error("Not found");
  if (facts.throttled) operation.responses["429"] ??= error("Request was throttled");
  if (override.deprecated) operation.deprecated = true;
  return ordered(operation);
}

const KEY_ORDER = [
  "operationId",
  "summary",
  "description",
  "tags",
  "deprecated",
  "parameters",
  "requestBody",
  "responses",
  "security",
];

/** Keys in the order readers expect (identity first, responses and security last). */
function ordered(operation: OperationObject): OperationObject {
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (key in operation) out[key] = operation[key as keyof OperationObject];
  return out as unknown as OperationObject;
}
