// Order creation by hand: the bearer JWT checked (HS256, the shop-api's
// SECRET_KEY), the body validated, unit prices computed exactly in cents,
// stock taken with conditional updates in one transaction.
import { verify } from "hono/jwt";
import { centsToDecimal, isoDateTime } from "./render.js";
import { ALLOW, type BaselineContext, requestHeader, respond } from "./respond.js";
import type { Store } from "./store.js";
import type { Throttles } from "./throttle.js";

export interface OrderLine {
  product: number;
  quantity: number;
}

type Errors = Record<string, unknown>;

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

/** `{items: [{product, quantity}]}` with DRF's messages for the common mistakes. */
export function parseOrderBody(body: unknown): { lines: OrderLine[] } | { errors: Errors } {
  const items = (body as { items?: unknown } | null)?.items;
  if (items === undefined) return { errors: { items: ["This field is required."] } };
  if (!Array.isArray(items))
    return { errors: { items: { non_field_errors: ['Expected a list of items but got type "dict".'] } } };
  if (items.length === 0) return { errors: { items: { non_field_errors: ["This list may not be empty."] } } };
  const lines: OrderLine[] = [];
  const errors = items.map((item: { product?: unknown; quantity?: unknown }) => {
    const e: Record<string, string[]> = {};
    if (item?.product === undefined) e.product = ["This field is required."];
    else if (!isInt(item.product)) e.product = ["Incorrect type. Expected pk value, received str."];
    if (item?.quantity === undefined) e.quantity = ["This field is required."];
    else if (!isInt(item.quantity)) e.quantity = ["A valid integer is required."];
    else if (item.quantity < 1) e.quantity = ["Ensure this value is greater than or equal to 1."];
    if (Object.keys(e).length === 0)
      lines.push({ product: item.product as number, quantity: item.quantity as number });
    return e;
  });
  if (errors.some((e) => Object.keys(e).length)) return { errors: { items: errors } };
  return { lines };
}

/** The price less the discount, rounded half-up to cents. */
export function unitPriceCents(cents: bigint, discount: number): bigint {
  const n = cents * BigInt(100 - discount);
  const q = n / 100n;
  return (n % 100n) * 2n >= 100n ? q + 1n : q;
}

/** The requesting user from `Authorization: Bearer <access token>`, or a 401 answer. */
async function authenticate(c: BaselineContext, store: Store, secret: string) {
  const header = requestHeader(c, "authorization") ?? "";
  const unauthorized = (detail: string) =>
    respond(c, 401, JSON.stringify({ detail }), { allow: ALLOW.list, authenticate: 'Bearer realm="api"' });
  if (!header.startsWith("Bearer ")) return unauthorized("Authentication credentials were not provided.");
  try {
    const payload = await verify(header.slice(7), secret, "HS256");
    if (payload.token_type !== "access" || !isInt(payload.user_id)) throw new Error("not an access token");
    const user = await store.activeUser(payload.user_id);
    if (!user) return unauthorized("User not found");
    return user;
  } catch {
    return unauthorized("Given token not valid for any token type");
  }
}

const answer = (c: BaselineContext, status: number, data: unknown) =>
  respond(c, status, JSON.stringify(data), { allow: ALLOW.list });

export async function createOrder(c: BaselineContext, store: Store, secret: string, throttle: Throttles) {
  const user = await authenticate(c, store, secret);
  if (user instanceof Response) return user;
  const refused = throttle.user(c, user.id, ALLOW.list);
  if (refused) return refused;
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    return answer(c, 400, { detail: `JSON parse error - ${(error as Error).message}` });
  }
  const parsed = parseOrderBody(body);
  if ("errors" in parsed) return answer(c, 400, parsed.errors);
  const products = await store.productsForOrder([...new Set(parsed.lines.map((l) => l.product))]);
  if (parsed.lines.some((l) => !products.has(l.product)))
    return answer(c, 400, {
      items: parsed.lines.map((l) =>
        products.has(l.product) ? {} : { product: [`Invalid pk "${l.product}" - object does not exist.`] },
      ),
    });
  const priced = parsed.lines.map((l) => {
    const p = products.get(l.product) as { name: string; priceCents: bigint; discount_percentage: number };
    return { ...l, name: p.name, priceCents: unitPriceCents(p.priceCents, p.discount_percentage) };
  });
  const placed = await store.placeOrder(user.id, priced);
  if ("short" in placed) {
    const s = placed.short;
    return answer(c, 400, {
      detail: `Not enough stock for product ${s.product}: ${s.available} available, ${s.requested} requested.`,
    });
  }
  let total = 0n;
  const items = priced.map((l, i) => {
    const subtotal = l.priceCents * BigInt(l.quantity);
    total += subtotal;
    return {
      id: placed.itemIds[i],
      product: l.product,
      product_name: l.name,
      quantity: l.quantity,
      price: centsToDecimal(l.priceCents),
      subtotal: centsToDecimal(subtotal),
    };
  });
  return answer(c, 201, {
    id: placed.id,
    user: user.username,
    status: "pending",
    status_display: "Pending",
    items,
    total_amount: centsToDecimal(total),
    created_at: isoDateTime(placed.createdAt),
  });
}
