import type { Request } from "../request/request.js";

/** Django's `QueryDict.get`: the last value of a repeated parameter, or null. */
export function queryParam(request: Request, name: string): string | null {
  return request.queryParams.getAll(name).at(-1) ?? null;
}
