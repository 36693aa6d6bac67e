export { CursorPagination } from "./cursor.js";
export { LimitOffsetPagination } from "./limit-offset.js";
export { PageNumberPagination } from "./page-number.js";
export { removeQueryParam, replaceQueryParam } from "./query-string.js";
export { isSliceable, type Paginatable, type SliceableQuerySet } from "./queryset-like.js";
