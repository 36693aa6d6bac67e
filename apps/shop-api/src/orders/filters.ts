import { choiceFilter, defineFilterSet } from "@x/filters";
import { Order, OrderStatus } from "./models.js";

/** `?status=` on the order list (django-filter's ChoiceFilter for a field with choices). */
export const OrderFilter = defineFilterSet({
  model: Order,
  filters: {
    status: choiceFilter({ choices: OrderStatus.choices }),
  },
});
