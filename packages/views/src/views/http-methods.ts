// The HTTP methods a view may handle, and the per-request conversions between a request's
// method (upper case) and a handler's name (lower case), by table rather than string conversion.

/** Lowercase HTTP method names a view may handle, in Django's order. */
export const HTTP_METHOD_NAMES = [
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "head",
  "options",
  "trace",
] as const;
export type HttpMethodName = (typeof HTTP_METHOD_NAMES)[number];

const HANDLER_NAMES: ReadonlyMap<string, HttpMethodName> = new Map(
  HTTP_METHOD_NAMES.map((name) => [name.toUpperCase(), name]),
);

/** The method upper case (Node's parser already gives the standard ones so). */
export function upperMethod(method: string): string {
  return HANDLER_NAMES.has(method) ? method : method.toUpperCase();
}

/** The name of the handler for an (upper case) method: `GET` → `get`. */
export function handlerName(method: string): string {
  return HANDLER_NAMES.get(method) ?? method.toLowerCase();
}
