import { NotFound } from "../exceptions/api-exception.js";
import type { Pagination, SchemaParameter, ViewLike } from "../interfaces.js";
import type { Request } from "../request/request.js";
import { Response } from "../response/response.js";
import { positiveInt } from "./positive-int.js";
import { queryParam } from "./query-param.js";
import { removeQueryParam, replaceQueryParam } from "./query-string.js";
import { countOf, fetchWindow, type Paginatable } from "./queryset-like.js";

/**
 * DRF's PageNumberPagination: `?page=N` (and `?page_size=N` when
 * `pageSizeQueryParam` is set), body `{count, next, previous, results}`.
 * The COUNT query is skipped when the page itself shows where the list ends.
 */
export class PageNumberPagination implements Pagination {
  /** Rows per page; the settings' `pageSize` when unset. */
  pageSize: number | null | undefined = undefined;
  pageQueryParam = "page";
  /** Query parameter letting the client pick the page size (off by default, as DRF). */
  pageSizeQueryParam: string | null = null;
  maxPageSize: number | null = null;
  lastPageStrings: readonly string[] = ["last"];
  invalidPageMessage = "Invalid page.";

  protected request: Request | null = null;
  protected count = 0;
  protected pageNumber = 1;
  protected numPages = 1;

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

  async paginateQueryset<T>(
    queryset: Paginatable<T>,
    request: Request,
    _view?: ViewLike,
  ): Promise<T[] | null> {
    const pageSize = this.getPageSize(request);
    if (!pageSize) return null;
    this.request = request;
    const raw = queryParam(request, this.pageQueryParam) || "1";
    const invalid = () => new NotFound(this.invalidPageMessage);

    if (this.lastPageStrings.includes(raw)) {
      // The last page's number needs the total first.
      this.count = await countOf(queryset);
      this.numPages = Math.max(1, Math.ceil(this.count / pageSize));
      this.pageNumber = this.numPages;
      const { rows } = await fetchWindow(queryset, (this.pageNumber - 1) * pageSize, pageSize);
      return rows;
    }

    // Django's Paginator.validate_number: an integer, at least 1, at most the page count.
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw invalid();
    const number = Number.parseInt(raw.trim(), 10);
    if (!Number.isSafeInteger(number) || number < 1) throw invalid();
    const window = await fetchWindow(queryset, (number - 1) * pageSize, pageSize);
    // Only page 1 may be empty (allow_empty_first_page).
    if (window.rows.length === 0 && number > 1) throw invalid();
    this.count = await window.count();
    this.numPages = Math.max(1, Math.ceil(this.count / pageSize));
    this.pageNumber = number;
    return window.rows;
  }

  getNextLink(): string | null {
    if (!this.request || this.pageNumber >= this.numPages) return null;
    return replaceQueryParam(this.request.buildAbsoluteUri(), this.pageQueryParam, this.pageNumber + 1);
  }

  getPreviousLink(): string | null {
    if (!this.request || this.pageNumber <= 1) return null;
    const url = this.request.buildAbsoluteUri();
    if (this.pageNumber - 1 === 1) return removeQueryParam(url, this.pageQueryParam);
    return replaceQueryParam(url, this.pageQueryParam, this.pageNumber - 1);
  }

  getPaginatedResponse(data: unknown[]): Response {
    return new Response({
      count: this.count,
      next: this.getNextLink(),
      previous: this.getPreviousLink(),
      results: data,
    });
  }

  getPaginatedResponseSchema(schema: Record<string, unknown>): Record<string, unknown> {
    const link = (example: string) => ({ type: ["string", "null"], format: "uri", examples: [example] });
    return {
      type: "object",
      required: ["count", "results"],
      properties: {
        count: { type: "integer", examples: [123] },
        next: link(`http://api.example.org/accounts/?${this.pageQueryParam}=4`),
        previous: link(`http://api.example.org/accounts/?${this.pageQueryParam}=2`),
        results: schema,
      },
    };
  }

  schemaParameters(_view?: ViewLike): SchemaParameter[] {
    const params: SchemaParameter[] = [
      {
        name: this.pageQueryParam,
        in: "query",
        required: false,
        description: "A page number within the paginated result set.",
        schema: { type: "integer" },
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
