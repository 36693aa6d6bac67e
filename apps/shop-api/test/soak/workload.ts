// The soak's traffic: a weighted mix of catalogue reads (lists with filters,
// search, ordering and pages on v1 and v2, details, categories, reviews) and
// writes (orders, their cancellation, reviews, profile edits) plus auth (token
// use, JWT login, refresh, verify, a wrong password), each with the statuses it
// may answer. Anything else — a 5xx, an unlisted status, a network error or a
// timeout — is an error. 429 is always allowed (throttles are intended).
import http from "node:http";

export interface Reply {
  status: number;
  text: string;
}

export class Client {
  readonly agent: http.Agent;
  constructor(
    private readonly port: number,
    connections: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  request(method: string, path: string, body?: unknown, auth?: string): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    if (auth) headers.Authorization = auth;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: this.port, path, method, headers, agent: this.agent, timeout: 15_000 },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      req.on("error", reject);
      req.end(payload);
    });
  }
}

export interface Actor {
  /** `Token <key>` of a customer. */
  token: string;
  username: string;
}

export interface Context {
  client: Client;
  actors: Actor[];
  productIds: number[];
  categories: string[];
  password: string;
  random: () => number;
}

interface Step {
  name: string;
  weight: number;
  run(ctx: Context): Promise<{ reply: Reply; allowed: number[] }>;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const ORDERINGS = ["price", "-price", "created_at", "-created_at", "name", "-name", "stock", "-stock"];
const SEARCHES = ["puzzle", "drone", "eco", "ultra", "classic", "x", "zzz-none"];

const STEPS: Step[] = [
  {
    name: "product list",
    weight: 24,
    async run({ client, random, categories }) {
      const q = new URLSearchParams();
      if (random() < 0.4) q.set("category", pick(random, categories));
      if (random() < 0.3) q.set("min_price", String(Math.floor(random() * 300)));
      if (random() < 0.3) q.set("in_stock", random() < 0.5 ? "true" : "false");
      if (random() < 0.3) q.set("search", pick(random, SEARCHES));
      if (random() < 0.4) q.set("ordering", pick(random, ORDERINGS));
      if (random() < 0.3) q.set("page", String(1 + Math.floor(random() * 3)));
      const version = random() < 0.2 ? "v2" : "v1";
      // a page past the end is a 404 (DRF's "Invalid page.")
      return { reply: await client.request("GET", `/api/${version}/products/?${q}`), allowed: [200, 404] };
    },
  },
  {
    name: "product detail",
    weight: 14,
    async run({ client, random, productIds }) {
      return {
        reply: await client.request("GET", `/api/v1/products/${pick(random, productIds)}/`),
        allowed: [200],
      };
    },
  },
  {
    name: "categories",
    weight: 6,
    async run({ client, random, categories }) {
      const path =
        random() < 0.5 ? "/api/v1/categories/" : `/api/v1/categories/${pick(random, categories)}/products/`;
      return { reply: await client.request("GET", path), allowed: [200] };
    },
  },
  {
    name: "reviews",
    weight: 6,
    async run({ client, random, productIds }) {
      const path =
        random() < 0.5 ? "/api/v1/reviews/" : `/api/v1/products/${pick(random, productIds)}/reviews/`;
      return { reply: await client.request("GET", path), allowed: [200] };
    },
  },
  {
    name: "order create (and cancel)",
    weight: 12,
    async run({ client, random, actors, productIds }) {
      const actor = pick(random, actors);
      const items = [{ product: pick(random, productIds), quantity: 1 + Math.floor(random() * 3) }];
      const reply = await client.request("POST", "/api/v1/orders/", { items }, actor.token);
      if (reply.status !== 201 || random() < 0.7) return { reply, allowed: [201] };
      const id = (JSON.parse(reply.text) as { id: number }).id;
      return {
        reply: await client.request("POST", `/api/v1/orders/${id}/cancel/`, undefined, actor.token),
        allowed: [200],
      };
    },
  },
  {
    name: "orders of the customer",
    weight: 6,
    async run({ client, random, actors }) {
      return {
        reply: await client.request("GET", "/api/v1/orders/", undefined, pick(random, actors).token),
        allowed: [200],
      };
    },
  },
  {
    name: "review create",
    weight: 6,
    async run({ client, random, actors, productIds }) {
      const body = { rating: 1 + Math.floor(random() * 5), comment: "soak" };
      const path = `/api/v1/products/${pick(random, productIds)}/add-review/`;
      // a second review of the same product by the same customer is refused (intended 400)
      return {
        reply: await client.request("POST", path, body, pick(random, actors).token),
        allowed: [201, 400],
      };
    },
  },
  {
    name: "profile",
    weight: 6,
    async run({ client, random, actors }) {
      const actor = pick(random, actors);
      if (random() < 0.5)
        return {
          reply: await client.request("GET", "/api/v1/users/me/", undefined, actor.token),
          allowed: [200],
        };
      const body = { first_name: `Soak${Math.floor(random() * 1000)}`, profile: { bio: "soak" } };
      return { reply: await client.request("PATCH", "/api/v1/users/me/", body, actor.token), allowed: [200] };
    },
  },
  {
    name: "jwt login, verify, refresh",
    weight: 2,
    async run({ client, random, actors, password }) {
      const actor = pick(random, actors);
      const login = await client.request("POST", "/api/v1/auth/jwt/", { username: actor.username, password });
      if (login.status !== 200) return { reply: login, allowed: [200] };
      const { access, refresh } = JSON.parse(login.text) as { access: string; refresh: string };
      const verified = await client.request("POST", "/api/v1/auth/jwt/verify/", { token: access });
      if (verified.status !== 200) return { reply: verified, allowed: [200] };
      return {
        reply: await client.request("POST", "/api/v1/auth/jwt/refresh/", { refresh }),
        allowed: [200],
      };
    },
  },
  {
    name: "wrong password",
    weight: 1,
    async run({ client, random, actors }) {
      const body = { username: pick(random, actors).username, password: "not-the-password" };
      return { reply: await client.request("POST", "/api/v1/auth/token/", body), allowed: [400] };
    },
  },
];

const TOTAL_WEIGHT = STEPS.reduce((n, s) => n + s.weight, 0);

export interface Outcome {
  step: string;
  status: number;
  /** set when the status is not one the step may answer, or the request failed */
  error?: string;
}

/** One weighted step of the mix. */
export async function step(ctx: Context): Promise<Outcome> {
  let roll = ctx.random() * TOTAL_WEIGHT;
  let chosen = STEPS[0]!;
  for (const s of STEPS) {
    chosen = s;
    roll -= s.weight;
    if (roll < 0) break;
  }
  try {
    const { reply, allowed } = await chosen.run(ctx);
    if (allowed.includes(reply.status) || reply.status === 429)
      return { step: chosen.name, status: reply.status };
    return {
      step: chosen.name,
      status: reply.status,
      error: `${chosen.name}: ${reply.status} ${reply.text.slice(0, 300)}`,
    };
  } catch (err) {
    return { step: chosen.name, status: 0, error: `${chosen.name}: ${(err as Error).message}` };
  }
}
