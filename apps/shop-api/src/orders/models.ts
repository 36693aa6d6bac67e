import {
  CASCADE,
  CharField,
  DecimalField,
  decimal,
  defineModel,
  ForeignKey,
  type InstanceOf,
  MinValueValidator,
  PositiveIntegerField,
  PROTECT,
  TextChoices,
} from "@x/models";
import { Product, TimeStamped } from "../products/models.js";
import { User } from "../users/models.js";

export const OrderStatus = TextChoices({
  PENDING: ["pending", "Pending"],
  PROCESSING: ["processing", "Processing"],
  COMPLETED: ["completed", "Completed"],
  CANCELLED: ["cancelled", "Cancelled"],
});

export const Order = defineModel("orders.Order", {
  extends: [TimeStamped],
  fields: {
    user: ForeignKey(() => User, { onDelete: CASCADE, relatedName: "orders" }),
    status: CharField({ maxLength: 20, choices: OrderStatus.choices, default: OrderStatus.PENDING }),
  },
  meta: {
    dbTable: "orders_order",
    ordering: ["-created_at", "-id"],
    indexes: [{ fields: ["user", "-created_at"] }],
  },
});
export type OrderInstance = InstanceOf<typeof Order>;

export const OrderItem = defineModel("orders.OrderItem", {
  fields: {
    order: ForeignKey(() => Order, { onDelete: CASCADE, relatedName: "items" }),
    product: ForeignKey(() => Product, { onDelete: PROTECT, relatedName: "order_items" }),
    quantity: PositiveIntegerField({ validators: [MinValueValidator(1)] }),
    // The unit price at order time (after the product's discount).
    price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  },
  meta: { dbTable: "orders_orderitem", ordering: ["id"] },
  methods: {
    get subtotal(): string {
      return decimal.mul(this.price, this.quantity, 2);
    },
  },
});
export type OrderItemInstance = InstanceOf<typeof OrderItem>;
