// The `{lookup}` path parameter of a viewset: DRF's get_lookup_regex, plus Django's path converters.
import { ImproperlyConfigured } from "./errors.js";
import type { PathParam } from "./path.js";
import { type RoutableViewSet, viewsetAttribute } from "./viewset.js";

/** DRF's default: anything but a slash or a dot (the dot is left for format suffixes). */
export const DEFAULT_LOOKUP_VALUE_REGEX = "[^/.]+";

/** Django's path converters, as regexes. */
export const PATH_CONVERTERS: Readonly<Record<string, string>> = {
  int: "[0-9]+",
  str: "[^/]+",
  slug: "[-a-zA-Z0-9_]+",
  uuid: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
  path: ".+",
};

function optionalString(viewset: RoutableViewSet, name: string): string | undefined {
  const value = viewsetAttribute(viewset, name);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    throw new ImproperlyConfigured(`${viewset.name}.${name} must be a string, got ${typeof value}.`);
  }
  return value;
}

/** The viewset's lookup parameter; `prefix` is the nested routers' `{lookup}_`. */
export function lookupParam(viewset: RoutableViewSet, prefix = ""): PathParam {
  const field = optionalString(viewset, "lookupField") ?? "pk";
  const kwarg = optionalString(viewset, "lookupUrlKwarg") ?? field;
  const converter = optionalString(viewset, "lookupValueConverter");
  let regex = optionalString(viewset, "lookupValueRegex") ?? DEFAULT_LOOKUP_VALUE_REGEX;
  if (converter !== undefined) {
    const converted = PATH_CONVERTERS[converter];
    if (converted === undefined) {
      throw new ImproperlyConfigured(
        `${viewset.name}.lookupValueConverter "${converter}" is not one of ${Object.keys(PATH_CONVERTERS).join(", ")}.`,
      );
    }
    regex = converted;
  }
  try {
    new RegExp(regex);
  } catch (error) {
    throw new ImproperlyConfigured(
      `${viewset.name}.lookupValueRegex "${regex}" is not a valid regex: ${String(error)}`,
    );
  }
  return { name: `${prefix}${kwarg}`, regex };
}
