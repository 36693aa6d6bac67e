// Parsers turn a request body into `request.data`. Each one handles one media
// type; the view picks the first whose media type matches Content-Type.
import { ParseError } from "../exceptions/api-exception.js";
import { UploadedFile } from "./uploaded-file.js";

export interface ParsedBody {
  data: unknown;
  /** Uploaded files by field name (multipart only). */
  files: Record<string, UploadedFile | UploadedFile[]>;
}

export interface Parser {
  readonly mediaType: string;
  parse(body: Uint8Array, contentType: string): Promise<ParsedBody>;
}
export type ParserClass = new () => Parser;

export class JSONParser implements Parser {
  readonly mediaType = "application/json";

  async parse(body: Uint8Array): Promise<ParsedBody> {
    const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
    try {
      return { data: JSON.parse(text), files: {} };
    } catch (error) {
      throw new ParseError(`JSON parse error - ${(error as Error).message}`);
    }
  }
}

/** Repeated keys become arrays, single keys plain values (DRF's QueryDict, flattened for JSON-like access). */
async function collect(entries: Iterable<[string, string | File]>): Promise<ParsedBody> {
  const data: Record<string, unknown> = {};
  const files: Record<string, UploadedFile | UploadedFile[]> = {};
  for (const [key, raw] of entries) {
    const value = typeof raw === "string" ? raw : await UploadedFile.fromFile(raw);
    const previous = data[key];
    data[key] =
      previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    if (typeof value !== "string") {
      const prev = files[key];
      files[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
  }
  return { data, files };
}

export class FormParser implements Parser {
  readonly mediaType = "application/x-www-form-urlencoded";

  async parse(body: Uint8Array): Promise<ParsedBody> {
    const params = new URLSearchParams(new TextDecoder().decode(body));
    return collect(params.entries());
  }
}

export class MultiPartParser implements Parser {
  readonly mediaType = "multipart/form-data";

  async parse(body: Uint8Array, contentType: string): Promise<ParsedBody> {
    try {
      const form = await new globalThis.Response(body, {
        headers: { "content-type": contentType },
      }).formData();
      return collect(form.entries());
    } catch (error) {
      throw new ParseError(`Multipart form parse error - ${(error as Error).message}`);
    }
  }
}
