import { uuidValue } from "../values/uuid.js";
import { type Filter, type FilterOptions, singleValueFilter } from "./filter.js";

/** django-filter's UUIDFilter: canonical lower-case UUID, `Enter a valid UUID.` otherwise. */
export function uuidFilter<QS = never>(options: FilterOptions<string, QS> = {}): Filter<string, QS> {
  return singleValueFilter("UUIDFilter", uuidValue, options, { type: "string", format: "uuid" });
}
