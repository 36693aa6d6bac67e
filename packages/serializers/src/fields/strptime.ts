// Python's strptime/strftime subset DRF's `input_formats` / `format` use, in UTC.

export interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number;
  /** offset from UTC in minutes, when the text had %z */
  tz?: number;
}

const DIRECTIVES: Record<string, [string, keyof Parts | "tzs" | null]> = {
  Y: ["(\\d{4})", "y"],
  m: ["(\\d{1,2})", "mo"],
  d: ["(\\d{1,2})", "d"],
  H: ["(\\d{1,2})", "h"],
  M: ["(\\d{1,2})", "mi"],
  S: ["(\\d{1,2})", "s"],
  f: ["(\\d{1,6})", "us"],
  z: ["(Z|[+-]\\d{2}:?\\d{2})", "tzs"],
  "%": ["%", null],
};

const cache = new Map<string, { re: RegExp; keys: (keyof Parts | "tzs")[] }>();

/** Parse `text` with a strptime pattern (%Y %m %d %H %M %S %f %z); null when it does not match. */
export function strptime(text: string, pattern: string): Parts | null {
  let compiled = cache.get(pattern);
  if (!compiled) {
    const keys: (keyof Parts | "tzs")[] = [];
    let re = "^";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === "%" && i + 1 < pattern.length) {
        const dir = DIRECTIVES[pattern[++i]!];
        if (!dir) return null;
        re += dir[0];
        if (dir[1]) keys.push(dir[1]);
      } else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
    compiled = { re: new RegExp(`${re}$`), keys };
    cache.set(pattern, compiled);
  }
  const m = compiled.re.exec(text);
  if (!m) return null;
  const parts: Parts = { y: 1900, mo: 1, d: 1, h: 0, mi: 0, s: 0, us: 0 };
  compiled.keys.forEach((k, i) => {
    const raw = m[i + 1]!;
    if (k === "tzs") {
      if (raw === "Z") parts.tz = 0;
      else {
        const digits = raw.slice(1).replace(":", "");
        parts.tz = (raw[0] === "-" ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
      }
    } else if (k === "us") parts.us = Number(raw.padEnd(6, "0"));
    else parts[k] = Number(raw);
  });
  return parts;
}

const HUMAN: Record<string, string> = {
  "%Y": "YYYY",
  "%y": "YY",
  "%m": "MM",
  "%b": "[Jan-Dec]",
  "%B": "[January-December]",
  "%d": "DD",
  "%H": "hh",
  "%I": "hh",
  "%M": "mm",
  "%S": "ss",
  "%f": "uuuuuu",
  "%a": "[Mon-Sun]",
  "%A": "[Monday-Sunday]",
  "%p": "[AM|PM]",
  "%z": "[+HHMM|-HHMM]",
};

/** DRF's humanize_datetime: the formats as the error message lists them. */
export function humanizeFormats(formats: readonly string[], iso: string): string {
  return formats
    .map((f) => (f === "iso-8601" ? iso : f.replace(/%[a-zA-Z]/g, (d) => HUMAN[d] ?? d)))
    .join(", ");
}
