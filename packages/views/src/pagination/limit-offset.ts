import type { Pagination, SchemaParameter, ViewLike } from "../interfaces.js";
import type { Request } from "../request/request.js";
import { Response } from "../response/response.js";
import { positiveInt } from "./positive-int.js";
import { queryParam } from "./query-param.js";
import { removeQueryParam, replaceQueryParam } from "./query-string.js";
import { fetchWindow, type Paginatable } from "./queryset-like.js";

/** DRF's LimitOffsetPagination: `?limit=N&offset=M`, body `{count, next, previous, results}`. */
export class LimitOffsetPagination implements Pagination {
  /** Rows when no `limit` is given; the settings' `pageSize` when unset. */
  defaultLimit: number | null | undefined = undefined;
  limitQueryParam = "limit";
  offsetQueryParam = "offset";
  maxLimit: number | null = null;

  protected request: Request | null = null;
  protected count = 0;
  protected limit = 0;
  protected offset = 0;

  getLimit(request: Request): number | null {
    const asked = positiveInt(queryParam(request, this.limitQueryParam), {
      strict: true,
      cutoff: this.maxLimit,
    });
    if (asked !== null) return asked;
    return this.defaultLimit === undefined ? request.settings.pageSize : this.defaultLimit;
  }

  getOffset(request: Request): number {
    return positiveInt(queryParam(request, this.offsetQueryParam)) ?? 0;
  }

  async paginateQueryset<T>(
    queryset: Paginatable<T>,
    request: Request,
    _view?: ViewLike,
  ): Promise<T[] | null> {
    const limit = this.getLimit(request);
    if (!limit) return null;
    this.request = request;
    this.limit = limit;
    this.offset = this.getOffset(request);
    const window = await fetchWindow(queryset, this.offset, limit);
    this.count = await window.count();
    return window.rows;
  }

  getNextLink(): string | null {
    if (!this.request || this.offset + this.limit >= this.count) return null;
    const url = replaceQueryParam(this.request.buildAbsoluteUri(), this.limitQueryParam, this.limit);
    return replaceQueryParam(url, this.offsetQueryParam, this.offset + this.limit);
  }

  getPreviousLink(): string | null {
    if (!this.request || this.offset <= 0) return null;
    const url = replaceQueryParam(this.request.buildAbsoluteUri(), this.limitQueryParam, this.limit);
    if (this.offset - this.limit <= 0) return removeQueryParam(url, this.offsetQueryParam);
    return replaceQueryParam(url, this.offsetQueryParam, this.offset - this.limit);
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
        next: link(
          `http://api.example.org/accounts/?${this.offsetQueryParam}=400&${this.limitQueryParam}=100`,
        ),
        previous: link(
          `http://api.example.org/accounts/?${this.offsetQueryParam}=200&${this.limitQueryParam}=100`,
        ),
        results: schema,
      },
    };
  }

  schemaParameters(_view?: ViewLike): SchemaParameter[] {
    return [
      {
        name: this.limitQueryParam,
        in: "query",
        required: false,
        description: "Number of results to return per page.",
        schema: { type: "integer" },
      },
      {
        name: this.offsetQueryParam,
        in: "query",
        required: false,
        description: "The initial index from which to return the results.",
        schema: { type: "integer" },
      },
    ];
  }
}
