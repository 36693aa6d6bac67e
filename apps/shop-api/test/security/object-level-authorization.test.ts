// OWASP API1:2023 Broken Object Level Authorization: one customer's orders and
// reviews, addressed by id by another customer through every method, are
// neither shown nor changed (the contract: someone else's order is 404, a
// staff-only PATCH 403, someone else's review 403), and the rows stay as they were.
import type { APIClient } from "@x/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Order, OrderItem } from "../../src/orders/models.js";
import { Product, Review } from "../../src/products/models.js";
import { createTestShop, type TestShop, tokenClient } from "../setup.js";

let t: TestShop;
let owner: APIClient;
let intruder: APIClient;
let orderId: number;
let reviewId: number;
const PRODUCT = 20;

beforeAll(async () => {
  t = await createTestShop();
  owner = await tokenClient(t, "margaret16");
  intruder = await tokenClient(t, "guido8");
  await Product.objects.filter({ pk: PRODUCT }).update({ stock: 50 });
  const order = await owner.post("/api/v1/orders/", { items: [{ product: PRODUCT, quantity: 2 }] });
  if (order.status !== 201) throw new Error(`order: ${order.status} ${order.text}`);
  orderId = (order.data as { id: number }).id;
  await Review.objects.filter({ product: PRODUCT, user: 16 }).delete();
  const review = await owner.post(`/api/v1/products/${PRODUCT}/add-review/`, { rating: 4, comment: "mine" });
  if (review.status !== 201) throw new Error(`review: ${review.status} ${review.text}`);
  reviewId = (review.data as { id: number }).id;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function orderState() {
  const order = await Order.objects.get({ pk: orderId });
  const items = await OrderItem.objects.filter({ order: orderId }).values("product_id", "quantity", "price");
  const stock = (await Product.objects.get({ pk: PRODUCT })).stock;
  return { status: order.status, user: order.user_id, updated: String(order.updated_at), items, stock };
}

describe("API1: someone else's order", () => {
  it("is 404 to read, 403 to PATCH, 404 to cancel, 405 to PUT/DELETE, and stays unchanged", async () => {
    const before = await orderState();
    const path = `/api/v1/orders/${orderId}/`;

    const read = await intruder.get(path);
    expect(read.status).toBe(404);
    expect(read.data).toEqual({ detail: "Not found." });
    expect((await intruder.head(path)).status).toBe(404);

    const patch = await intruder.patch(path, { status: "cancelled" });
    expect(patch.status).toBe(403);
    expect(patch.data).toEqual({ detail: "You do not have permission to perform this action." });

    const cancel = await intruder.post(`${path}cancel/`);
    expect(cancel.status).toBe(404);
    expect(cancel.data).toEqual({ detail: "Not found." });

    expect((await intruder.put(path, { status: "cancelled", items: [] })).status).toBe(405);
    expect((await intruder.delete(path)).status).toBe(405);

    expect(await orderState()).toEqual(before);
    expect(before.status).toBe("pending");
  });

  it("is just as closed under /api/v2/", async () => {
    const path = `/api/v2/orders/${orderId}/`;
    expect((await intruder.get(path)).status).toBe(404);
    expect((await intruder.patch(path, { status: "cancelled" })).status).toBe(403);
    expect((await intruder.post(`${path}cancel/`)).status).toBe(404);
    expect((await orderState()).status).toBe("pending");
  });

  it("never appears in the intruder's list, whatever the query says", async () => {
    for (const query of ["", "?user=16", "?user__username=margaret16", "?status=pending", `?id=${orderId}`]) {
      const res = await intruder.get(`/api/v1/orders/${query}`);
      expect(res.status, query).toBe(200);
      const results = (res.data as { results: { id: number; user: string }[] }).results;
      expect(
        results.map((o) => o.id),
        query,
      ).not.toContain(orderId);
      for (const o of results) expect(o.user).toBe("guido8");
    }
  });

  it("is 401 to anonymous clients through every method", async () => {
    const anon = t.client();
    const path = `/api/v1/orders/${orderId}/`;
    for (const res of [
      await anon.get(path),
      await anon.patch(path, { status: "cancelled" }),
      await anon.post(`${path}cancel/`),
      await anon.put(path, {}),
      await anon.delete(path),
    ]) {
      expect(res.status).toBe(401);
      expect(res.data).toEqual({ detail: "Authentication credentials were not provided." });
    }
    expect((await orderState()).status).toBe("pending");
  });

  it("is still the owner's: the owner reads and cancels it", async () => {
    expect((await owner.get(`/api/v1/orders/${orderId}/`)).status).toBe(200);
    const cancel = await owner.post(`/api/v1/orders/${orderId}/cancel/`);
    expect(cancel.status).toBe(200);
    expect((await Product.objects.get({ pk: PRODUCT })).stock).toBe(50);
  });
});

describe("API1: someone else's favorites", () => {
  it("favoriting acts on the requester only, whatever the body names", async () => {
    const isFavorite = (user: number) => Product.objects.filter({ pk: PRODUCT, favorited_by: user }).exists();
    expect(await isFavorite(16)).toBe(false);
    const res = await intruder.post(`/api/v1/products/${PRODUCT}/favorite/`, { user: 16, user_id: 16 });
    expect(res.status).toBe(200);
    expect([await isFavorite(8), await isFavorite(16)]).toEqual([true, false]);
    const mine = await owner.get(`/api/v1/products/${PRODUCT}/`);
    expect((mine.data as { is_favorited: boolean }).is_favorited).toBe(false);
    await owner.post(`/api/v1/products/${PRODUCT}/favorite/`);
    await intruder.post(`/api/v1/products/${PRODUCT}/unfavorite/`, { user: 16 });
    expect([await isFavorite(8), await isFavorite(16)]).toEqual([false, true]);
  });
});

describe("API1: someone else's review", () => {
  it("is 403 to PUT, PATCH and DELETE, and the row stays unchanged", async () => {
    const path = `/api/v1/reviews/${reviewId}/`;
    const before = await Review.objects
      .filter({ pk: reviewId })
      .values("rating", "comment", "user_id", "product_id");
    const forbidden = { detail: "You must be the author to perform this action." };
    const put = await intruder.put(path, { rating: 1, comment: "hijacked" });
    expect(put.status).toBe(403);
    expect(put.data).toEqual(forbidden);
    const patch = await intruder.patch(path, { comment: "hijacked", user: 8 });
    expect(patch.status).toBe(403);
    expect(patch.data).toEqual(forbidden);
    const del = await intruder.delete(path);
    expect(del.status).toBe(403);
    expect(del.data).toEqual(forbidden);
    expect(
      await Review.objects.filter({ pk: reviewId }).values("rating", "comment", "user_id", "product_id"),
    ).toEqual(before);
  });

  it("is readable by anyone but writable by its author only", async () => {
    expect((await intruder.get(`/api/v1/reviews/${reviewId}/`)).status).toBe(200);
    const anon = await t.client().patch(`/api/v1/reviews/${reviewId}/`, { comment: "x" });
    expect(anon.status).toBe(401);
    const own = await owner.patch(`/api/v1/reviews/${reviewId}/`, { comment: "edited", user: 8 });
    expect(own.status, own.text).toBe(200);
    const stored = await Review.objects.get({ pk: reviewId });
    expect(stored.comment).toBe("edited");
    expect(stored.user_id).toBe(16);
  });
});
