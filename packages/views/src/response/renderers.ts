// Renderers turn Response.data into bytes. DRF's JSONRenderer writes compact
// JSON (no spaces after separators) and keeps non-ASCII characters as is.
import type { Request } from "../request/request.js";
import type { APIView } from "../views/api-view.js";
import type { Response } from "./response.js";

/** DRF's renderer_context: what a renderer may read besides the data (the browsable API reads all of it). */
export interface RendererContext {
  view: APIView;
  request: Request;
  response: Response;
  /** The headers the response goes out with (Allow, Vary, Content-Type, ...). */
  headers: Headers;
}

export interface Renderer {
  readonly mediaType: string;
  readonly format: string;
  readonly charset: string | null;
  /** Synchronous for data formats; a renderer that must query (the browsable API's forms) returns a Promise. */
  render(
    data: unknown,
    acceptedMediaType: string,
    context?: RendererContext,
  ): string | Uint8Array | Promise<string | Uint8Array>;
}
export type RendererClass = new () => Renderer;

/** JSON.stringify replacer shared by the JSON and browsable renderers. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  // BigInt (a bigint primary key) has no JSON form: write it as a number when exact, else a string.
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return value;
}

export class JSONRenderer implements Renderer {
  readonly mediaType = "application/json";
  readonly format = "json";
  readonly charset = null;

  render(data: unknown, acceptedMediaType: string): string {
    if (data === undefined) return "";
    const indent =
      acceptedMediaType === this.mediaType ? undefined : /;\s*indent=(\d+)/.exec(acceptedMediaType)?.[1];
    const spaces = indent ? Math.min(Number(indent), 8) : undefined;
    // Without a replacer V8 serialises on its fast path; only a BigInt (it throws) needs the replacer.
    try {
      return JSON.stringify(data, null, spaces);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      return JSON.stringify(data, jsonReplacer, spaces);
    }
  }
}
