/** Python `%`-formatting with named params, as Django messages use it: `%(limit_value)s`, `%(show_value)d`, `%%`. */
export function interpolate(message: string, params: Readonly<Record<string, unknown>> | undefined): string {
  if (!params) return message;
  return message.replace(
    /%(?:\((\w+)\)([sdr])|%)/g,
    (whole, name: string | undefined, kind: string | undefined) => {
      if (name === undefined) return "%";
      if (!(name in params)) return whole;
      return show(params[name], kind === "d");
    },
  );
}

/** How a parameter reads in a message (Python's `str()` / `%d`). */
export function show(value: unknown, integer = false): string {
  if (integer && typeof value === "number") return String(Math.trunc(value));
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => show(v)).join(", ");
  return String(value);
}
