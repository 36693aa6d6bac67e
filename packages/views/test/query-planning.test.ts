// Automatic query planning: list and detail endpoints fetch what the
// serializer reads in a constant number of queries, however many rows.
import {
  CASCADE,
  CharField,
  captureQueries,
  createTestDatabase,
  DecimalField,
  defineModel,
  ForeignKey,
  type InstanceOf,
  IntegerField,
  PROTECT,
} from "@x/models";
import { CharField as CharSerializerField, ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIClient,
  applyQueryPlan,
  defineSettings,
  PageNumberPagination,
  ReadOnlyModelViewSet,
} from "../src/index.js";

const Item = defineModel("planviews.Product", {
  fields: { name: CharField({ maxLength: 100 }), price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }) },
});
const Order = defineModel("planviews.Order", {
  fields: { customer: CharField({ maxLength: 50 }) },
  meta: { ordering: ["id"] },
});
const OrderItem = defineModel("planviews.OrderItem", {
  fields: {
    order: ForeignKey(() => Order, { onDelete: CASCADE, relatedName: "items" }),
    product: ForeignKey(() => Item, { onDelete: PROTECT }),
    quantity: IntegerField(),
  },
  meta: { ordering: ["id"] },
});

class OrderItemSerializer extends ModelSerializer.of(
  { model: OrderItem, fields: ["id", "product", "product_name", "quantity"] },
  { product_name: new CharSerializerField({ source: "product.name", readOnly: true }) },
) {}
class OrderSerializer extends ModelSerializer.of(
  { model: Order, fields: ["id", "customer", "items"] },
  { items: new OrderItemSerializer({ many: true, readOnly: true }) },
) {}

class SmallPages extends PageNumberPagination {
  override pageSize = 2;
}

class OrderViewSet extends ReadOnlyModelViewSet<InstanceOf<typeof Order>> {
  static override queryset = Order.objects.all();
  static override serializerClass = OrderSerializer;
}
class PagedOrderViewSet extends OrderViewSet {
  static override paginationClass = SmallPages;
}
/** getQueryset's own loading choice wins over the plan. */
class HandPlannedOrderViewSet extends OrderViewSet {
  override getQueryset() {
    return Order.objects.prefetchRelated("items");
  }
}
class UnplannedOrderViewSet extends OrderViewSet {
  static override autoQueryPlan = false;
  static override settings = defineSettings({ logger: { error: () => {}, warn: () => {} } });
}

/** Pagination comes from the settings unless a view opts out with `paginationClass = null`. */
const pagedSettings = defineSettings({ defaultPaginationClass: PageNumberPagination, pageSize: 4 });
class DefaultPagedViewSet extends OrderViewSet {
  static override settings = pagedSettings;
}
class UnpagedViewSet extends OrderViewSet {
  static override settings = pagedSettings;
  static override paginationClass = null;
}

/** A queryset made per request (each customer sees their own orders). */
class CustomerOrderViewSet extends OrderViewSet {
  override getQueryset() {
    return Order.objects.filter({ customer: this.request.queryParams.get("customer") ?? "" });
  }
}

function app(): Hono {
  const hono = new Hono();
  hono.all("/mine/", CustomerOrderViewSet.asView({ get: "list" }));
  hono.all("/default-paged/", DefaultPagedViewSet.asView({ get: "list" }));
  hono.all("/unpaged/", UnpagedViewSet.asView({ get: "list" }));
  hono.all("/orders/", OrderViewSet.asView({ get: "list" }));
  hono.all("/orders/:pk/", OrderViewSet.asView({ get: "retrieve" }));
  hono.all("/paged/", PagedOrderViewSet.asView({ get: "list" }));
  hono.all("/hand/", HandPlannedOrderViewSet.asView({ get: "list" }));
  hono.all("/unplanned/", UnplannedOrderViewSet.asView({ get: "list" }));
  return hono;
}

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Item, Order, OrderItem] });
});
afterAll(async () => {
  await tdb.close();
});

async function seed(orders: number): Promise<void> {
  const pen = await Item.objects.create({ name: "Pen", price: "1.50" });
  const ink = await Item.objects.create({ name: "Ink", price: "3.00" });
  for (let i = 0; i < orders; i++) {
    const order = await Order.objects.create({ customer: `c${i}` });
    await OrderItem.objects.create({ order, product: pen, quantity: 1 });
    await OrderItem.objects.create({ order, product: ink, quantity: i + 1 });
  }
}

beforeEach(async () => {
  await tdb.reset();
});

describe("automatic query planning (items → product)", () => {
  it("one queryset and plan are planned once; a queryset made per request is planned for its request", async () => {
    const plan = OrderSerializer.queryPlan();
    const base = Order.objects.all();
    const planned = applyQueryPlan(base, plan);
    expect(applyQueryPlan(base, plan)).toBe(planned);
    expect(applyQueryPlan(base, plan, { only: false })).toBe(applyQueryPlan(base, plan, { only: false }));
    expect(planned.state.prefetch.map((p) => p.path)).toEqual(["items", "items__product"]);
    await seed(3);
    const client = new APIClient(app());
    for (const customer of ["c0", "c2", "c1", "c0"]) {
      const res = await client.get(`/mine/?customer=${customer}`);
      expect(res.data.map((o: { customer: string }) => o.customer)).toEqual([customer]);
      expect(res.data[0].items).toHaveLength(2);
    }
  });

  it("the plan comes from the serializer", () => {
    expect(OrderSerializer.queryPlan()).toMatchObject({ prefetchRelated: expect.arrayContaining(["items"]) });
  });

  it("a list costs the same number of queries for 2 orders as for 6", async () => {
    const client = new APIClient(app());
    await seed(2);
    const small = await captureQueries(() => client.get("/orders/"));
    expect(small.result.status).toBe(200);
    expect(small.result.data[1]).toEqual({
      id: expect.any(Number),
      customer: "c1",
      items: [
        { id: expect.any(Number), product: expect.any(Number), product_name: "Pen", quantity: 1 },
        { id: expect.any(Number), product: expect.any(Number), product_name: "Ink", quantity: 2 },
      ],
    });
    await seed(4);
    const large = await captureQueries(() => client.get("/orders/"));
    expect(large.result.data).toHaveLength(6);
    expect(large.queries.length).toBe(small.queries.length);
    expect(large.queries.length).toBeLessThanOrEqual(3);
  });

  it("retrieve is planned too", async () => {
    await seed(1);
    const order = await Order.objects.first();
    const { result, queries } = await captureQueries(() => new APIClient(app()).get(`/orders/${order?.id}/`));
    expect(result.data.items.map((i: { product_name: string }) => i.product_name)).toEqual(["Pen", "Ink"]);
    expect(queries.length).toBeLessThanOrEqual(3);
  });

  it("paginated: the page and a count, plus the planned relations", async () => {
    await seed(5);
    const { result, queries } = await captureQueries(() =>
      new APIClient(app()).get("/paged/", { query: { page: 2 } }),
    );
    expect(result.data.count).toBe(5);
    expect(result.data.results.map((o: { customer: string }) => o.customer)).toEqual(["c2", "c3"]);
    expect(result.data.next).toBe("http://testserver/paged/?page=3");
    expect(queries.length).toBeLessThanOrEqual(4);
  });

  it("default pagination from the settings; paginationClass = null opts out", async () => {
    await seed(5);
    const client = new APIClient(app());
    const paged = await client.get("/default-paged/");
    expect([paged.data.count, paged.data.results.length, paged.data.previous]).toEqual([5, 4, null]);
    expect(paged.data.next).toBe("http://testserver/default-paged/?page=2");
    expect((await client.get("/unpaged/")).data).toHaveLength(5);
  });

  it("getQueryset's own choices stay; the plan adds only the missing paths", async () => {
    await seed(3);
    const hand = await captureQueries(() => new APIClient(app()).get("/hand/"));
    expect(hand.result.status).toBe(200);
    expect(hand.result.data[2].items[1]).toMatchObject({ product_name: "Ink", quantity: 3 });
    expect(hand.queries.length).toBeLessThanOrEqual(3);
  });

  it("without planning the serializer's relation reads are not loaded (the models layer refuses N+1)", async () => {
    await seed(2);
    const unplanned = await new APIClient(app()).get("/unplanned/");
    expect([unplanned.status, unplanned.data]).toEqual([500, { detail: "A server error occurred." }]);
  });
});
