// What "no half-written order" means, checked through the models after a fault:
// every order placed since `firstOrder` holds all the lines it was posted with,
// and the stock taken from each product is exactly what those orders hold.
import { Order, OrderItem } from "../../src/orders/models.js";
import { Product } from "../../src/products/models.js";

/** The body every fault test posts: one line per product, quantities 1, 2, 3, ... */
export function orderLines(products: number[]): { product: number; quantity: number }[] {
  return products.map((product, i) => ({ product, quantity: i + 1 }));
}

export interface OrderAudit {
  /** Orders placed since `firstOrder`. */
  orders: number;
  /** Orders whose items differ from the posted lines (a partial write). */
  partial: { id: number; items: { product: number; quantity: number }[] }[];
  /** Products whose stock plus what the orders hold is not the stock they started with. */
  stockMismatch: { id: number; stock: number; sold: number }[];
}

/** Audits the default database (configure it first) for orders placed with `orderLines(products)`. */
export async function auditOrders(
  firstOrder: number,
  products: number[],
  stock: number,
): Promise<OrderAudit> {
  const expected = JSON.stringify(orderLines(products));
  const ids = (await Order.objects
    .filter({ id__gte: firstOrder })
    .valuesList("id", { flat: true })) as number[];
  const items = (await OrderItem.objects
    .filter({ order__id__gte: firstOrder })
    .orderBy("order_id", "product_id")
    .values("order_id", "product_id", "quantity")) as {
    order_id: number;
    product_id: number;
    quantity: number;
  }[];
  const byOrder = new Map<number, { product: number; quantity: number }[]>(ids.map((id) => [id, []]));
  const sold = new Map<number, number>(products.map((p) => [p, 0]));
  for (const item of items) {
    byOrder.get(item.order_id)?.push({ product: item.product_id, quantity: item.quantity });
    sold.set(item.product_id, (sold.get(item.product_id) ?? 0) + item.quantity);
  }
  const partial = [...byOrder]
    .filter(([, lines]) => JSON.stringify(lines) !== expected)
    .map(([id, lines]) => ({ id, items: lines }));
  const rows = (await Product.objects.filter({ id__in: products }).values("id", "stock")) as {
    id: number;
    stock: number;
  }[];
  const stockMismatch = rows
    .map((r) => ({ id: r.id, stock: r.stock, sold: sold.get(r.id) ?? 0 }))
    .filter((r) => r.stock + r.sold !== stock);
  return { orders: ids.length, partial, stockMismatch };
}

/** The first `n` live products, each given `stock` units; and the id the next order will have at least. */
export async function stockUp(n: number, stock: number): Promise<{ products: number[]; firstOrder: number }> {
  const products = (await Product.active
    .orderBy("id")
    .slice(0, n)
    .valuesList("id", { flat: true })) as number[];
  await Product.objects.filter({ id__in: products }).update({ stock });
  const last = await Order.objects.orderBy("-id").first();
  return { products, firstOrder: ((last?.pk as number | undefined) ?? 0) + 1 };
}
