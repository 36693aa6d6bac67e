import { booleanValue } from "../values/boolean.js";
import { type Filter, type FilterOptions, singleValueFilter } from "./filter.js";

/** django-filter's BooleanFilter: true/false/1/0 in any case; any other value does not filter. */
export function booleanFilter<QS = never>(options: FilterOptions<boolean, QS> = {}): Filter<boolean, QS> {
  return singleValueFilter("BooleanFilter", booleanValue, options, { type: "boolean" });
}
