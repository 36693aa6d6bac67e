// X-Request-Id: a client's own id is kept only when it is short and harmless (it ends up in
// logs); otherwise every request gets a new UUID.
import { randomUUID } from "node:crypto";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The id of a request whose X-Request-Id header is `given`. */
export function requestIdFrom(given: string | undefined): string {
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}
