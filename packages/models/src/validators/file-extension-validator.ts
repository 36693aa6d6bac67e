import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin, type MessageOptions } from "./types.js";

/**
 * Django's FileExtensionValidator on a file name: `File extension “%(extension)s” is not allowed.
 * Allowed extensions are: %(allowed_extensions)s.` (code `invalid_extension`), compared case-insensitively.
 */
export function FileExtensionValidator(
  allowedExtensions: readonly string[] | null,
  options: MessageOptions = {},
): BuiltinValidator {
  const allowed = allowedExtensions?.map((e) => e.toLowerCase()) ?? null;
  const code = options.code ?? "invalid_extension";
  const message =
    options.message ??
    "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s.";
  return builtin(
    (value) => {
      const name = typeof value === "string" ? value : fileName(value);
      const base = name.split("/").pop() ?? "";
      const dot = base.lastIndexOf(".");
      const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
      if (allowed !== null && !allowed.includes(extension)) {
        throw invalid(message, code, { extension, allowed_extensions: allowed.join(", "), value: name });
      }
    },
    code,
    message,
    { name: "FileExtensionValidator", allowedExtensions: allowed },
  );
}

function fileName(value: unknown): string {
  if (typeof value === "object" && value !== null && "name" in value && typeof value.name === "string")
    return value.name;
  throw new TypeError("FileExtensionValidator expects a file name or an object with a string `name`.");
}
