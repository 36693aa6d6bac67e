// What the shop-api's OpenAPI document does not say yet, declared by hand on top
// of the generated types so the client stays typed end to end. Each entry is a gap
// in GET /api/schema/ (reported upstream); delete it once `generate` covers it.
import type { components, paths as GeneratedPaths, operations } from "./schema.js";

type Json<T> = { content: { "application/json": T } };
type ErrorDetail = components["schemas"]["ErrorDetail"];

/** POST /auth/jwt/: the document has no request body and an untyped 200 (simplejwt's TokenObtainPairView). */
export interface JwtObtainOperation {
  parameters: operations["jwt_obtain_post"]["parameters"];
  requestBody: Json<{ username: string; password: string }>;
  responses: {
    200: Json<{ access: string; refresh: string }>;
    400: Json<components["schemas"]["ValidationError"]>;
    401: Json<ErrorDetail>;
    429: Json<ErrorDetail>;
  };
}

/** POST /orders/: the document's OrderRequest has no properties (the write-only `items` is missing). */
export type OrderCreateOperation = Omit<operations["order_create"], "requestBody"> & {
  requestBody: Json<{ items: { product: number; quantity: number }[] }>;
};

const JWT = "/api/{version}/auth/jwt/";
const ORDERS = "/api/{version}/orders/";

/** The generated `paths`, with the gaps above filled in. */
export type paths = Omit<GeneratedPaths, typeof JWT | typeof ORDERS> & {
  [JWT]: { post: JwtObtainOperation };
  [ORDERS]: Omit<GeneratedPaths[typeof ORDERS], "post"> & { post: OrderCreateOperation };
};
