import { isIPv6 } from "node:net";
import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin, type MessageOptions } from "./types.js";

// Django's URLValidator regex, piece by piece (ul = the Unicode letter range it allows in hosts).
const UL = "\\u00a1-\\uffff";
const IPV4 =
  "(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)(?:\\.(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)){3}";
const IPV6 = "\\[[0-9a-f:.]+\\]";
const HOSTNAME = `[a-z${UL}0-9](?:[a-z${UL}0-9-]{0,61}[a-z${UL}0-9])?`;
const DOMAIN = `(?:\\.(?!-)[a-z${UL}0-9-]{1,63}(?<!-))*`;
const TLD = `\\.(?!-)(?:[a-z${UL}-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?`;
const HOST = `(?:${HOSTNAME}${DOMAIN}${TLD}|localhost)`;
const URL_RE = new RegExp(
  `^(?:[a-z0-9.+-]*)://(?:[^\\s:@/]+(?::[^\\s:@/]*)?@)?(?:${IPV4}|${IPV6}|${HOST})(?::[0-9]{1,5})?(?:[/?#][^\\s]*)?$`,
  "i",
);
const HOST_PART_RE = /^(?:[a-z0-9.+-]*):\/\/(?:[^\s:@/]+(?::[^\s:@/]*)?@)?([^/?#]*)/i;

export interface URLValidatorOptions extends MessageOptions {
  /** Accepted schemes (default `["http", "https", "ftp", "ftps"]`). */
  schemes?: readonly string[];
}

/** Django's URLValidator: `Enter a valid URL.` (code `invalid`), at most 2048 characters. */
export function URLValidator(options: URLValidatorOptions = {}): BuiltinValidator {
  const code = options.code ?? "invalid";
  const message = options.message ?? "Enter a valid URL.";
  const schemes = options.schemes ?? ["http", "https", "ftp", "ftps"];
  return builtin(
    (value) => {
      const fail = () => invalid(message, code, { value });
      if (typeof value !== "string" || value.length > 2048 || /[\t\r\n]/.test(value)) throw fail();
      const scheme = value.split("://")[0]!.toLowerCase();
      if (!schemes.includes(scheme)) throw fail();
      if (!URL_RE.test(value)) throw fail();
      const hostPort = HOST_PART_RE.exec(value)?.[1] ?? "";
      const ipv6 = /^\[(.+)\]/.exec(hostPort);
      if (ipv6 && !isIPv6(ipv6[1]!)) throw fail();
      const host = ipv6 ? ipv6[0] : hostPort.replace(/:\d+$/, "");
      // RFC 1034: a full hostname is at most 253 characters.
      if (host.length > 253) throw fail();
    },
    code,
    message,
    { name: "URLValidator", schemes },
  );
}
export const validate_url = URLValidator();
