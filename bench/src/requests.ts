// The benchmarked requests: the same list drives the body diff (a test) and the timing (the runner).
import { request } from "node:http";

export interface BenchRequest {
  /** Short name used in the table and the results JSON. */
  name: string;
  method: "GET" | "POST";
  path: string;
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

export interface Answer {
  status: number;
  contentType: string;
  body: string;
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
      { method: req.method, headers: { host: BENCH_HOST, ...headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"]), body }),
        );
      },
    );
    r.on("error", reject);
    r.end();
  });
}
