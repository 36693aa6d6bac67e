import type { Request } from "@x/views";

/** DRF's get_authorization_header, split on whitespace: `[]` when absent. */
export function authorizationParts(request: Request): string[] {
  const header = request.header("authorization");
  if (header === null) return [];
  return header.split(/\s+/).filter((p) => p !== "");
}
