import { isIPv4, isIPv6 } from "node:net";
import { domainToASCII } from "node:url";
import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin, type MessageOptions } from "./types.js";

// Django's EmailValidator patterns (dot-atom or quoted local part; LDH domain with a 2+ char TLD).
const USER_RE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 5322's quoted-string grammar (as Django spells it) names control characters.
  /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")$/i;
const DOMAIN_RE = /^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}(?<!-)$/i;
const LITERAL_RE = /^\[([A-F0-9:.]+)\]$/i;

export interface EmailValidatorOptions extends MessageOptions {
  /** Domains accepted without a dot (default `["localhost"]`). */
  allowlist?: readonly string[];
}

function validDomain(domain: string): boolean {
  if (DOMAIN_RE.test(domain)) return true;
  const literal = LITERAL_RE.exec(domain);
  if (literal) return isIPv4(literal[1]!) || isIPv6(literal[1]!);
  // Internationalised domains are checked in their punycode form, as Django does.
  const ascii = domainToASCII(domain);
  return ascii !== "" && ascii !== domain && DOMAIN_RE.test(ascii);
}

/** Django's EmailValidator: `Enter a valid email address.` (code `invalid`), at most 320 characters. */
export function EmailValidator(options: EmailValidatorOptions = {}): BuiltinValidator {
  const code = options.code ?? "invalid";
  const message = options.message ?? "Enter a valid email address.";
  const allowlist = options.allowlist ?? ["localhost"];
  return builtin(
    (value) => {
      const fail = () => invalid(message, code, { value });
      if (typeof value !== "string" || !value.includes("@") || value.length > 320) throw fail();
      const at = value.lastIndexOf("@");
      const user = value.slice(0, at);
      const domain = value.slice(at + 1);
      if (!USER_RE.test(user)) throw fail();
      if (!allowlist.includes(domain) && !validDomain(domain)) throw fail();
    },
    code,
    message,
    { name: "EmailValidator", allowlist },
  );
}

export const validate_email = EmailValidator();
