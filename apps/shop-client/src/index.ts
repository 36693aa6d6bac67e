// A typed fetch client for the shop-api: openapi-fetch over the types generated
// from its OpenAPI document (src/schema.d.ts, `generate`). Paths, parameters,
// request bodies and responses are checked by the compiler.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

/** The document's component schemas by name, e.g. `Schemas["ProductDetail"]`. */
export type Schemas = components["schemas"];
export type ShopClient = Client<paths>;
export type ApiVersion = "v1" | "v2";

export interface ShopClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** The server's origin, e.g. "http://localhost:8000" (paths start with /api/). */
  baseUrl: string;
  /**
   * Sent as `Authorization: Bearer <token>` (a simplejwt access token). A function is
   * asked on every request, so a refreshed token is picked up without a new client.
   */
  accessToken?: string | (() => string | undefined);
}

export function createShopClient(options: ShopClientOptions): ShopClient {
  const { accessToken, baseUrl, ...rest } = options;
  const client = createClient<paths>({ ...rest, baseUrl: baseUrl.replace(/\/+$/, "") });
  if (accessToken !== undefined) {
    client.use({
      onRequest({ request }) {
        const token = typeof accessToken === "function" ? accessToken() : accessToken;
        if (token && !request.headers.has("Authorization")) {
          request.headers.set("Authorization", `Bearer ${token}`);
        }
        return request;
      },
    });
  }
  return client;
}
