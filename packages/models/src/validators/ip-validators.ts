import { isIPv4, isIPv6 } from "node:net";
import { invalid } from "./invalid.js";
import { type BuiltinValidator, builtin } from "./types.js";

const MESSAGES = {
  ipv4: "Enter a valid IPv4 address.",
  ipv6: "Enter a valid IPv6 address.",
  both: "Enter a valid IPv4 or IPv6 address.",
} as const;

function ipValidator(protocol: "ipv4" | "ipv6" | "both"): BuiltinValidator {
  const message = MESSAGES[protocol];
  const ok =
    protocol === "ipv4" ? isIPv4 : protocol === "ipv6" ? isIPv6 : (v: string) => isIPv4(v) || isIPv6(v);
  return builtin(
    (value) => {
      if (typeof value !== "string" || !ok(value)) {
        throw invalid(message, "invalid", { protocol, value });
      }
    },
    "invalid",
    message,
    { name: "IPAddressValidator", protocol },
  );
}

export const validate_ipv4_address = ipValidator("ipv4");
export const validate_ipv6_address = ipValidator("ipv6");
export const validate_ipv46_address = ipValidator("both");
