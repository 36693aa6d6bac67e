// Placing and cancelling orders: stock moves and order rows change in one
// transaction, with conditional updates so concurrent orders never oversell.
import { atomic, cachePrefetched, decimal, F } from "@x/models";
import { touchModels } from "@x/views";
import { BadRequest } from "../errors.js";
import { Product, type ProductInstance } from "../products/models.js";
import { Order, type OrderInstance, OrderItem, OrderStatus } from "./models.js";

export interface OrderLine {
  product: ProductInstance;
  quantity: number;
}

export class NotEnoughStock extends BadRequest {
  static override defaultCode = "not_enough_stock";
}

export class CannotCancel extends BadRequest {
  static override defaultCode = "cannot_cancel";
}

/** The unit price: the product's price less its discount, rounded half-up to cents. */
export function unitPrice(product: { price: string; discount_percentage: number }): string {
  return decimal.applyDiscount(product.price, product.discount_percentage, 2, "ROUND_HALF_UP");
}

export function placeOrder(userId: number, lines: readonly OrderLine[]): Promise<OrderInstance> {
  return atomic(async () => {
    // Stock first, item by item in request order (a product listed twice counts
    // twice), so a refused order never inserts a row and uses up no order id.
    for (const { product, quantity } of lines) {
      const taken = await Product.active
        .filter({ pk: product.pk, stock__gte: quantity })
        .update({ stock: F("stock").sub(quantity) });
      if (taken === 0) {
        const [available] = await Product.objects
          .filter({ pk: product.pk })
          .valuesList("stock", { flat: true });
        throw new NotEnoughStock(
          `Not enough stock for product ${product.pk}: ${available ?? 0} available, ${quantity} requested.`,
        );
      }
    }
    // Stock and is_in_stock are on the cached product pages; update() sends no signal.
    await touchModels([Product]);
    const order = await Order.objects.create({ user_id: userId, status: OrderStatus.PENDING });
    const items = lines.map(({ product, quantity }) => {
      const item = new OrderItem({ order_id: order.pk, quantity, price: unitPrice(product) });
      item.product = product; // the product as validated: its name is on the answer
      return item;
    });
    await OrderItem.objects.bulkCreate(items);
    // The new order's items are known: the answer reads them without querying them back.
    cachePrefetched(order, "items", items);
    return order;
  });
}

export function cancelOrder(order: OrderInstance): Promise<void> {
  if (order.status === OrderStatus.COMPLETED || order.status === OrderStatus.CANCELLED) {
    throw new CannotCancel(`Cannot cancel an order with status '${order.status}'.`);
  }
  return atomic(async () => {
    // Re-check under the transaction: two cancels of one order give stock back once.
    const changed = await Order.objects
      .filter({ pk: order.pk, status__in: [OrderStatus.PENDING, OrderStatus.PROCESSING] })
      .update({ status: OrderStatus.CANCELLED, updated_at: new Date() });
    if (changed === 0) {
      const current = await Order.objects.get({ pk: order.pk });
      throw new CannotCancel(`Cannot cancel an order with status '${current.status}'.`);
    }
    const items = await OrderItem.objects.filter({ order: order.pk }).values("product_id", "quantity");
    for (const item of items) {
      await Product.objects.filter({ pk: item.product_id }).update({ stock: F("stock").add(item.quantity) });
    }
    await touchModels([Product]);
  });
}
