// DRF's exception_handler: an APIException (or a lower-layer error with a DRF
// answer) becomes a Response; anything else returns null and becomes a 500.
import type { Request } from "../request/request.js";
import { Response } from "../response/response.js";
import { toAPIException } from "./translate.js";

export interface ExceptionContext {
  view: unknown;
  request: Request | null;
}

export type ExceptionHandler = (
  exc: unknown,
  context: ExceptionContext,
) => Response | null | Promise<Response | null>;

export const exceptionHandler: ExceptionHandler = (exc) => {
  const api = toAPIException(exc);
  if (!api) return null;
  const response = new Response(api.toBody(), { status: api.statusCode, headers: api.headers });
  response.exception = true;
  return response;
};
