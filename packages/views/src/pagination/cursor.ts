import { ImproperlyConfigured, NotFound } from "../exceptions/api-exception.js";
import type { Pagination, SchemaParameter, ViewLike } from "../interfaces.js";
import type { Request } from "../request/request.js";
import { Response } from "../response/response.js";
import { type Cursor, decodeCursor, encodeCursor, type PositionValue } from "./cursor-codec.js";
import { afterPosition, type OrderField, orderByArgs, reverseOrdering } from "./keyset.js";
import { checkPosition, modelInfo } from "./model-info.js";
import { positiveInt } from "./positive-int.js";
import { queryParam } from "./query-param.js";
import { replaceQueryParam } from "./query-string.js";
import type { Paginatable } from "./queryset-like.js";

/** What cursor pagination needs from a QuerySet (an @x/models QuerySet satisfies it). */
interface KeysetQuerySet<T> extends PromiseLike<T[]> {
  orderBy(...fields: string[]): KeysetQuerySet<T>;
  filter(condition: unknown): KeysetQuerySet<T>;
  slice(start: number, end?: number): PromiseLike<T[]>;
}

function isKeysetQuerySet<T>(queryset: Paginatable<T>): queryset is KeysetQuerySet<T> {
  return (
    !Array.isArray(queryset) &&
    ["orderBy", "filter", "slice"].every((m) => typeof Reflect.get(queryset, m) === "function")
  );
}

/**
 * DRF's CursorPagination: `{next, previous, results}` with opaque cursors,
 * no COUNT and no OFFSET. The ordering always ends in a unique field (the
 * primary key is appended when it does not), and the cursor holds the values
 * of every ordering field at the page's edge, so pages stay stable while rows
 * are inserted or deleted anywhere. A cursor that is not ours is
 * `404 {"detail": "Invalid cursor"}`.
 */
export class CursorPagination implements Pagination {
  cursorQueryParam = "cursor";
  /** Rows per page; the settings' `pageSize` when unset. */
  pageSize: number | null | undefined = undefined;
  /** Field names, `-` for descending (DRF's default `-created`). */
  ordering: string | readonly string[] = "-created";
  pageSizeQueryParam: string | null = null;
  maxPageSize: number | null = null;
  invalidCursorMessage = "Invalid cursor";

  protected baseUrl = "";
  protected order: OrderField[] = [];
  protected page: unknown[] = [];
  protected nextPosition: PositionValue[] | null = null;
  protected previousPosition: PositionValue[] | null = null;
  protected hasNext = false;
  protected hasPrevious = false;

  getPageSize(request: Request): number | null {
    if (this.pageSizeQueryParam) {
      const asked = positiveInt(queryParam(request, this.pageSizeQueryParam), {
        strict: true,
        cutoff: this.maxPageSize,
      });
      if (asked !== null) return asked;
    }
    return this.pageSize === undefined ? request.settings.pageSize : this.pageSize;
  }

  /**
   * The ordering for this request: as DRF, an ordering filter among the
   * view's filter backends (one with `getOrdering(request, view)`, such as
   * @x/filters' OrderingFilter) decides when it gives one; else `ordering`.
   */
  getOrdering(request: Request, view?: ViewLike): readonly string[] {
    const fromFilter = view ? orderingFromFilters(request, view) : undefined;
    const ordering = fromFilter ?? (typeof this.ordering === "string" ? [this.ordering] : this.ordering);
    if (ordering.length === 0) throw new ImproperlyConfigured("CursorPagination requires an ordering.");
    for (const field of ordering) {
      if (field.includes("__") || field === "?") {
        throw new ImproperlyConfigured(
          `CursorPagination cannot order by "${field}": use fields of the model itself.`,
        );
      }
    }
    return ordering;
  }

  async paginateQueryset<T>(
    queryset: Paginatable<T>,
    request: Request,
    view?: ViewLike,
  ): Promise<T[] | null> {
    const pageSize = this.getPageSize(request);
    if (!pageSize) return null;
    if (!isKeysetQuerySet(queryset)) {
      throw new ImproperlyConfigured(
        "CursorPagination needs a QuerySet (orderBy, filter, slice), not a list.",
      );
    }
    const info = modelInfo(queryset);
    this.order = withUniqueTiebreak(this.getOrdering(request, view), info);
    this.baseUrl = request.buildAbsoluteUri();
    const cursor = this.decode(request, info);

    const order = cursor.reverse ? reverseOrdering(this.order) : this.order;
    let qs = queryset.orderBy(...orderByArgs(order));
    // the cursor is read from the page's edge rows: a queryset narrowed by only() loads those columns too
    const loaded = (queryset as { state?: { only?: readonly string[] } }).state?.only;
    if (loaded) {
      const missing = order.map((f) => f.name).filter((n) => !loaded.includes(n));
      if (missing.length)
        qs = (qs as unknown as { only(...f: string[]): KeysetQuerySet<T> }).only(...loaded, ...missing);
    }
    if (cursor.position !== null) qs = qs.filter(afterPosition(order, cursor.position));
    // One extra row tells whether another page follows.
    const rows = await qs.slice(0, pageSize + 1);
    const hasMore = rows.length > pageSize;
    const page = rows.slice(0, pageSize);
    if (cursor.reverse) page.reverse();
    this.page = page;

    const edge = (row: T | undefined) => (row === undefined ? null : this.positionOf(row));
    if (cursor.reverse) {
      this.hasNext = cursor.position !== null;
      this.hasPrevious = hasMore;
    } else {
      this.hasNext = hasMore;
      this.hasPrevious = cursor.position !== null;
    }
    // An empty page (a cursor past the end) links back to where it came from.
    this.nextPosition = page.length > 0 ? edge(page[page.length - 1]) : cursor.position;
    this.previousPosition = page.length > 0 ? edge(page[0]) : cursor.position;
    return page;
  }

  protected decode(request: Request, info: ReturnType<typeof modelInfo>): Cursor {
    const raw = queryParam(request, this.cursorQueryParam);
    if (raw === null) return { reverse: false, position: null };
    const cursor = decodeCursor(raw, this.order.length);
    const valid =
      cursor !== null &&
      (cursor.position === null ||
        this.order.every((f, i) => checkPosition(info, f.name, cursor.position![i]!)));
    if (!valid) throw new NotFound(this.invalidCursorMessage);
    return cursor;
  }

  protected positionOf(row: unknown): PositionValue[] {
    return this.order.map((f) => {
      const value: unknown = typeof row === "object" && row !== null ? Reflect.get(row, f.name) : undefined;
      if (value === null || value instanceof Date) return value;
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
      throw new ImproperlyConfigured(
        `CursorPagination cannot use "${f.name}" as a position (value ${String(value)}).`,
      );
    });
  }

  getNextLink(): string | null {
    if (!this.hasNext) return null;
    return replaceQueryParam(
      this.baseUrl,
      this.cursorQueryParam,
      encodeCursor({ reverse: false, position: this.nextPosition }),
    );
  }

  getPreviousLink(): string | null {
    if (!this.hasPrevious) return null;
    return replaceQueryParam(
      this.baseUrl,
      this.cursorQueryParam,
      encodeCursor({ reverse: true, position: this.previousPosition }),
    );
  }

  getPaginatedResponse(data: unknown[]): Response {
    return new Response({ next: this.getNextLink(), previous: this.getPreviousLink(), results: data });
  }

  getPaginatedResponseSchema(schema: Record<string, unknown>): Record<string, unknown> {
    const link = { type: ["string", "null"], format: "uri" };
    return {
      type: "object",
      required: ["results"],
      properties: { next: link, previous: link, results: schema },
    };
  }

  schemaParameters(_view?: ViewLike): SchemaParameter[] {
    const params: SchemaParameter[] = [
      {
        name: this.cursorQueryParam,
        in: "query",
        required: false,
        description: "The pagination cursor value.",
        schema: { type: "string" },
      },
    ];
    if (this.pageSizeQueryParam) {
      params.push({
        name: this.pageSizeQueryParam,
        in: "query",
        required: false,
        description: "Number of results to return per page.",
        schema: { type: "integer" },
      });
    }
    return params;
  }
}

function orderingFromFilters(request: Request, view: ViewLike): readonly string[] | undefined {
  const backends =
    view.getAttribute<readonly (new () => object)[]>("filterBackends") ??
    request.settings.defaultFilterBackends;
  for (const Backend of backends) {
    const getOrdering: unknown = Reflect.get(Backend.prototype, "getOrdering");
    if (typeof getOrdering !== "function") continue;
    const ordering: unknown = Reflect.apply(getOrdering, new Backend(), [request, view]);
    if (Array.isArray(ordering) && ordering.length > 0 && ordering.every((o) => typeof o === "string")) {
      return ordering;
    }
    return undefined;
  }
  return undefined;
}

/** The ordering as fields, ending in a unique one: the primary key is appended (same direction as the last field) unless present. */
function withUniqueTiebreak(ordering: readonly string[], info: ReturnType<typeof modelInfo>): OrderField[] {
  const fields = ordering.map((o) => ({
    name: info.attributeOf(o.replace(/^-/, "")),
    descending: o.startsWith("-"),
  }));
  const unique = fields.some((f) => info.isUnique(f.name));
  if (!unique) fields.push({ name: info.pkName, descending: fields[fields.length - 1]?.descending ?? false });
  return fields;
}
