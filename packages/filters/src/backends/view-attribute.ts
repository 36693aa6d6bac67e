import type { ViewLike } from "@x/views";

/** A view's instance attribute, else its class's static one (DRF's getattr on a class attribute). */
export function viewAttribute(view: ViewLike, name: string): unknown {
  return view.getAttribute(name);
}

/** Calls the view's DRF hook (`getSearchFields(request)` ...) when it has one, else reads `attribute`. */
export function viewHookOrAttribute(
  view: ViewLike,
  hook: string,
  attribute: string,
  ...args: unknown[]
): unknown {
  const method = (view as unknown as Record<string, unknown>)[hook];
  if (typeof method === "function") return (method as (...a: unknown[]) => unknown).apply(view, args);
  return view.getAttribute(attribute);
}

export function stringList(value: unknown, what: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  throw new Error(`${what} must be a string or a list of strings`);
}

/** A string setting of the view's resolved API settings (`searchParam`, `orderingParam`). */
export function viewSetting(
  view: ViewLike | undefined,
  name: "searchParam" | "orderingParam",
): string | undefined {
  const settings = (view as { settings?: Partial<Record<string, unknown>> } | undefined)?.settings;
  const value = settings?.[name];
  return typeof value === "string" ? value : undefined;
}
