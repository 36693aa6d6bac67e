import { textValue } from "../values/text.js";
import { type Filter, type FilterOptions, singleValueFilter } from "./filter.js";

/** django-filter's CharFilter: the stripped text; an empty value does not filter. */
export function charFilter<QS = never>(options: FilterOptions<string, QS> = {}): Filter<string, QS> {
  return singleValueFilter("CharFilter", textValue, options, { type: "string" });
}
