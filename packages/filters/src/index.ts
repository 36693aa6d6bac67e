// FilterSet and filter factories (django-filter)

// Filter backends (@x/views' FilterBackend)
export { DjangoFilterBackend } from "./backends/django-filter-backend.js";
export { OrderingFilter } from "./backends/ordering-filter.js";
export { SearchFilter } from "./backends/search-filter.js";
export type { Condition } from "./condition.js";
export { booleanFilter } from "./filters/boolean.js";
export { charFilter } from "./filters/char.js";
export {
  type ChoiceOptions,
  type Choices,
  choiceFilter,
  type MultipleChoiceOptions,
  multipleChoiceFilter,
} from "./filters/choice.js";
export { type CsvOptions, inFilter, rangeCsvFilter } from "./filters/csv.js";
export { dateFilter, dateTimeFilter, isoDateTimeFilter, timeFilter } from "./filters/date.js";
export type { Filter, FilterOptions } from "./filters/filter.js";
export {
  type KeyType,
  type ModelChoiceOptions,
  modelChoiceFilter,
  modelMultipleChoiceFilter,
} from "./filters/model-choice.js";
export { numberFilter } from "./filters/number.js";
export { type OrderingFilterOptions, orderingFilter } from "./filters/ordering.js";
export {
  type Bounds,
  type DateFromToRangeOptions,
  dateFromToRangeFilter,
  rangeFilter,
} from "./filters/range.js";
export { uuidFilter } from "./filters/uuid.js";
export {
  defineFilterSet,
  type FieldsSpec,
  type FilterSetClass,
  type FilterSetSpec,
  type FilterValues,
  type QuerySetOf,
} from "./filterset/define.js";
export { type FilterData, type FilterErrors, FilterSet, type FilterSetInit } from "./filterset/filterset.js";
export { messages } from "./messages.js";
export { orderingTerms } from "./ordering/terms.js";
export type { FieldLike, ModelLike, QueryData, SchemaParameter } from "./ports.js";
export { type FtsIndex, sqliteFtsIndex } from "./search/fts-index.js";
export { searchTerms, searchTermsWithPhrases } from "./search/terms.js";
export { canonicalDecimal } from "./values/decimal.js";
export type { Parsed } from "./values/parse.js";
