import { LOOKUPS } from "@x/models";
import { booleanFilter } from "../filters/boolean.js";
import { charFilter } from "../filters/char.js";
import { choiceFilter } from "../filters/choice.js";
import { inFilter, rangeCsvFilter } from "../filters/csv.js";
import { dateFilter, dateTimeFilter, timeFilter } from "../filters/date.js";
import type { Filter, FilterOptions } from "../filters/filter.js";
import { modelChoiceFilter, modelMultipleChoiceFilter } from "../filters/model-choice.js";
import { numberFilter } from "../filters/number.js";
import { uuidFilter } from "../filters/uuid.js";
import type { FieldLike } from "../ports.js";
import { NUMBER_TRANSFORMS } from "../values/integer.js";

type AnyFilter = Filter<unknown, unknown>;
type Factory = (options: Omit<FilterOptions<unknown, unknown>, "method">) => AnyFilter;

// django-filter's FILTER_FOR_DBFIELD_DEFAULTS, by @x/models' field type names.
const BY_TYPE: Record<string, Factory> = {
  CharField: charFilter,
  TextField: charFilter,
  SlugField: charFilter,
  EmailField: charFilter,
  URLField: charFilter,
  GenericIPAddressField: charFilter,
  FilePathField: charFilter,
  AutoField: numberFilter,
  BigAutoField: numberFilter,
  SmallAutoField: numberFilter,
  IntegerField: numberFilter,
  BigIntegerField: numberFilter,
  SmallIntegerField: numberFilter,
  PositiveIntegerField: numberFilter,
  PositiveSmallIntegerField: numberFilter,
  PositiveBigIntegerField: numberFilter,
  DecimalField: numberFilter,
  FloatField: numberFilter,
  BooleanField: booleanFilter,
  NullBooleanField: booleanFilter,
  DateField: dateFilter,
  DateTimeField: dateTimeFilter,
  TimeField: timeFilter,
  UUIDField: uuidFilter,
  ForeignKey: modelChoiceFilter,
  OneToOneField: modelChoiceFilter,
  ManyToManyField: modelMultipleChoiceFilter,
};

// Transforms @x/models applies to dates/datetimes: to a number (`created_at__year__gte`) or a date.
const TRANSFORMS = new Set([...NUMBER_TRANSFORMS, "date"]);

/** django-filter resolves Meta.fields lookups when the class is made: an unknown one fails there. */
function checkLookup(path: string, lookupExpr: string, modelLabel: string): void {
  const parts = lookupExpr.split("__");
  const transforms = LOOKUPS.has(parts.at(-1)!) ? parts.slice(0, -1) : parts;
  const unknown = transforms.find((part) => !TRANSFORMS.has(part));
  if (unknown !== undefined) {
    throw new Error(
      `${modelLabel}: unsupported lookup '${unknown}' in '${path}__${lookupExpr}'; valid lookups: ${[...LOOKUPS, ...TRANSFORMS].join(", ")}`,
    );
  }
}

/** The filter django-filter generates for `field` + `lookupExpr` (Meta.fields), bound to that field. */
export function filterForField(
  path: string,
  field: FieldLike,
  lookupExpr: string,
  modelLabel: string,
): AnyFilter {
  const options = {
    fieldName: path,
    lookupExpr,
    ...(field.verboseName ? { label: field.verboseName } : {}),
    ...(field.helpText ? { helpText: field.helpText } : {}),
  };
  checkLookup(path, lookupExpr, modelLabel);
  const [first] = lookupExpr.split("__") as [string];
  const bound = (filter: AnyFilter) => (filter.bind ? filter.bind(field) : filter);
  if (lookupExpr === "isnull") return booleanFilter(options);
  if (NUMBER_TRANSFORMS.has(first)) return bound(numberFilter(options));
  if (first === "date") return dateFilter(options);
  const baseOptions = { ...options, lookupExpr: "exact" };
  const factory =
    field.choices?.length && (lookupExpr === "exact" || lookupExpr === "in")
      ? choiceFilter
      : BY_TYPE[field.type];
  if (!factory) {
    throw new Error(
      `${modelLabel}: resolved field '${path}' with '${lookupExpr}' lookup to an unrecognized field type ${field.type}. ` +
        "Declare the filter explicitly in `filters`.",
    );
  }
  if (lookupExpr === "in") return inFilter(bound(factory(baseOptions)));
  if (lookupExpr === "range") return rangeCsvFilter(bound(factory(baseOptions)));
  return bound(factory(options));
}
