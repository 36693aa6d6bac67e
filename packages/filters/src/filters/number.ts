import { decimalValue } from "../values/decimal.js";
import { type Filter, type FilterOptions, singleValueFilter } from "./filter.js";

/** django-filter's NumberFilter: an exact decimal string (`"12.50"`), `Enter a number.` otherwise. */
export function numberFilter<QS = never>(options: FilterOptions<string, QS> = {}): Filter<string, QS> {
  return singleValueFilter("NumberFilter", decimalValue, options, { type: "number" });
}
