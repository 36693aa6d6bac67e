import { dateValue } from "../values/date.js";
import { dateTimeValue, isoDateTimeValue } from "../values/datetime.js";
import { timeValue } from "../values/time.js";
import { type Filter, type FilterOptions, singleValueFilter } from "./filter.js";

/** django-filter's DateFilter: `"YYYY-MM-DD"`, `Enter a valid date.` otherwise. */
export function dateFilter<QS = never>(options: FilterOptions<string, QS> = {}): Filter<string, QS> {
  return singleValueFilter("DateFilter", dateValue, options, { type: "string", format: "date" });
}

/** django-filter's DateTimeFilter: a UTC `Date` (naive input is UTC), `Enter a valid date/time.` otherwise. */
export function dateTimeFilter<QS = never>(options: FilterOptions<Date, QS> = {}): Filter<Date, QS> {
  return singleValueFilter("DateTimeFilter", dateTimeValue, options, { type: "string", format: "date-time" });
}

/** django-filter's IsoDateTimeFilter: ISO 8601 only. */
export function isoDateTimeFilter<QS = never>(options: FilterOptions<Date, QS> = {}): Filter<Date, QS> {
  return singleValueFilter("IsoDateTimeFilter", isoDateTimeValue, options, {
    type: "string",
    format: "date-time",
  });
}

/** django-filter's TimeFilter: `"HH:MM:SS[.ffffff]"`, `Enter a valid time.` otherwise. */
export function timeFilter<QS = never>(options: FilterOptions<string, QS> = {}): Filter<string, QS> {
  return singleValueFilter("TimeFilter", timeValue, options, { type: "string", format: "time" });
}
