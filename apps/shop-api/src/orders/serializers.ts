// Wire shapes of the orders module (CONTRACT.md "Orders").
import { decimal } from "@x/models";
import {
  CharField,
  ChoiceField,
  IntegerField,
  ModelSerializer,
  PrimaryKeyRelatedField,
  ReadOnlyField,
  Serializer,
  SerializerMethodField,
  SlugRelatedField,
} from "@x/serializers";
import * as v from "valibot";
import { Product } from "../products/models.js";
import { Order, type OrderInstance, OrderItem, OrderStatus } from "./models.js";

export class OrderItemSerializer extends ModelSerializer.of(
  { model: OrderItem, fields: ["id", "product", "product_name", "quantity", "price", "subtotal"] },
  {
    product: new PrimaryKeyRelatedField({ readOnly: true }),
    product_name: new CharField({ source: "product.name", readOnly: true }),
    subtotal: new ReadOnlyField({ output: v.pipe(v.string(), v.decimal()) }),
  },
) {}

export class OrderSerializer extends ModelSerializer.of(
  {
    model: Order,
    fields: ["id", "user", "status", "status_display", "items", "total_amount", "created_at"],
    readOnlyFields: ["status", "created_at"],
  },
  {
    user: new SlugRelatedField({ slugField: "username", readOnly: true }),
    status_display: new CharField({ source: "get_status_display", readOnly: true }),
    items: new OrderItemSerializer({ many: true, readOnly: true }),
    total_amount: new SerializerMethodField(v.pipe(v.string(), v.decimal()), {
      reads: { prefetch: ["items"] },
    }),
  },
) {
  async get_total_amount(order: OrderInstance): Promise<string> {
    // Prefetched with the order (queryPlan reads "items"), so this runs no query.
    const items = await order.related<typeof OrderItem>("items").all();
    return decimal.sum(
      items.map((item) => decimal.mul(item.price, item.quantity, 2)),
      2,
    );
  }
}

/** One requested line: a live product and a quantity of at least 1. */
export class OrderLineSerializer extends Serializer.of({
  product: new PrimaryKeyRelatedField({ queryset: Product.active.all() }),
  // The upper bound is OrderItem.quantity's column range (as a ModelSerializer would derive):
  // a larger number is a 400 here, not an integer overflow in the database.
  quantity: new IntegerField({ minValue: 1, maxValue: 2147483647 }),
}) {}

/** The body of `POST /orders/`. */
export class OrderCreateSerializer extends Serializer.of({
  items: new OrderLineSerializer({ many: true, allowEmpty: false }),
}) {}

/** The body of a staff `PATCH /orders/{id}/`: only the status changes. */
export class OrderStatusSerializer extends Serializer.of({
  status: new ChoiceField({ choices: OrderStatus.choices }),
}) {}
