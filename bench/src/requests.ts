// The benchmarked requests: the same list drives the body diff (a test) and the timing (the runner).
import { type IncomingHttpHeaders, request } from "node:http";

export interface BenchRequest {
  /** Short name used in the table and the results JSON. */
  name: string;
  method: "GET" | "POST";
  path: string;
  /** A JSON body (POST). */
  body?: string;
  /** Sent with the access token of a fixture user. */
  authenticated?: boolean;
}

/** Every request carries this Host, so absolute URLs in both servers' bodies are the same bytes. */
export const BENCH_HOST = "shop.bench";

export const READ_REQUESTS: BenchRequest[] = [
  { name: "api root", method: "GET", path: "/api/v1/" },
  { name: "product list page 5", method: "GET", path: "/api/v1/products/?page=5" },
  {
    name: "product list filter+search+ordering",
    method: "GET",
    path: "/api/v1/products/?min_price=50&search=smart&ordering=-price",
  },
  { name: "product detail", method: "GET", path: "/api/v1/products/7/" },
  { name: "category list", method: "GET", path: "/api/v1/categories/" },
];

/** The product every benchmarked order buys: its stock is refilled before the timed runs. */
export const ORDER_PRODUCT = 7;

export const ORDER_REQUEST: BenchRequest = {
  name: "order creation",
  method: "POST",
  path: "/api/v1/orders/",
  body: JSON.stringify({ items: [{ product: ORDER_PRODUCT, quantity: 1 }] }),
  authenticated: true,
};

/** A fixture user in the demo data and in generated data alike (password `shop-pass-123`). */
export const ORDER_USER = "admin";

/** Headers of a request besides Host. */
export function requestHeaders(req: BenchRequest, token?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (req.body !== undefined) headers["content-type"] = "application/json";
  if (req.authenticated && token) headers.authorization = `Bearer ${token}`;
  return headers;
}

/**
 * What must be equal between the servers: the body, except the values a write
 * makes unique (new ids, the creation time), which are checked for shape instead.
 */
export function comparable(req: BenchRequest, body: string): string {
  if (req.method === "GET") return body;
  const order = JSON.parse(body) as { id: unknown; created_at: unknown; items?: { id: unknown }[] };
  const shape = (x: unknown, ok: boolean) => (ok ? `<${typeof x}>` : `<bad ${JSON.stringify(x)}>`);
  order.id = shape(order.id, Number.isInteger(order.id));
  order.created_at = shape(order.created_at, /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(String(order.created_at)));
  for (const item of order.items ?? []) item.id = shape(item.id, Number.isInteger(item.id));
  return JSON.stringify(order);
}

export interface Answer {
  status: number;
  /** The response's headers as Node parsed them (lower-case names). */
  headers: IncomingHttpHeaders;
  body: string;
}

/** Headers whose values differ between any two responses, or say nothing about the endpoint. */
const CONNECTION_HEADERS = new Set(["date", "connection", "keep-alive"]);

/**
 * What must be equal between the servers' heads: every header as `name: value`, sorted, except
 * the connection's own; the request id's value (a new UUID each time) only checked to be there.
 */
export function comparableHead(headers: IncomingHttpHeaders): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (CONNECTION_HEADERS.has(name) || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : String(value);
    lines.push(`${name}: ${name === "x-request-id" ? (text ? "<id>" : "<missing>") : text}`);
  }
  return lines.sort().join("\n");
}

/** One request with the bench Host header (fetch cannot set Host). */
export function send(
  origin: string,
  req: BenchRequest,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = request(
      `${origin}${req.path}`,
      { method: req.method, headers: { host: BENCH_HOST, ...requestHeaders(req), ...headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
          }),
        );
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

/** An access token from the shop-api's JWT endpoint (the baseline accepts it: same SECRET_KEY). */
export async function obtainAccessToken(origin: string): Promise<string> {
  const answer = await send(origin, {
    name: "login",
    method: "POST",
    path: "/api/v1/auth/jwt/",
    body: JSON.stringify({ username: ORDER_USER, password: "shop-pass-123" }),
  });
  if (answer.status !== 200) throw new Error(`JWT login failed: ${answer.status} ${answer.body}`);
  return (JSON.parse(answer.body) as { access: string }).access;
}
