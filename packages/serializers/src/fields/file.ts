// FileField / ImageField: uploads in (parsed by @x/views), stored names out as URLs via a storage.
import * as v from "valibot";
import type { SerializerContext } from "../context.js";
import { Field, type FieldOptions, type JsonSchema } from "./field.js";
import { parseStep } from "./messages.js";

/** An uploaded file as @x/views' multipart parser hands it over. */
export interface UploadedFile {
  name: string;
  size: number;
  contentType?: string | undefined;
  /** The file's bytes (or its first bytes: enough to sniff an image). */
  bytes?: Uint8Array | undefined;
  /** The whole content to store (defaults to `bytes`); a stream when the parser streams. */
  content?: Uint8Array | string | AsyncIterable<Uint8Array> | undefined;
}

/** Where stored file names become URLs (@x/models' storage satisfies it). */
export interface FileStorage {
  url(name: string): string;
}

export interface FileFieldOptions extends FieldOptions {
  maxLength?: number;
  allowEmptyFile?: boolean;
  /** Output URLs (default) rather than stored names. */
  useUrl?: boolean;
  storage?: FileStorage;
}

/** Whether a value is an upload (what the multipart parser produces). */
export const isUpload = (x: unknown): x is UploadedFile =>
  typeof x === "object" &&
  x !== null &&
  typeof (x as UploadedFile).name === "string" &&
  typeof (x as UploadedFile).size === "number";

export class FileField<const O extends FileFieldOptions = FileFieldOptions> extends Field<
  string | null,
  UploadedFile,
  O
> {
  override get syncRepresentation(): boolean {
    return true;
  }
  protected override defaultMessages(): Record<string, string> {
    return {
      required: "No file was submitted.",
      invalid: "The submitted data was not a file. Check the encoding type on the form.",
      no_name: "No filename could be determined.",
      empty: "The submitted file is empty.",
      max_length: "Ensure this filename has at most {max_length} characters (it has {length}).",
    };
  }
  protected buildSchema(): v.GenericSchema<unknown, UploadedFile> {
    return v.pipe(
      v.unknown(),
      parseStep((d: unknown) => this.checkFile(d)),
    );
  }
  protected checkFile(data: unknown): UploadedFile {
    if (!isUpload(data)) return this.fail("invalid");
    if (!data.name) this.fail("no_name");
    if (!this.options.allowEmptyFile && data.size === 0) this.fail("empty");
    const max = this.options.maxLength;
    if (max !== undefined && data.name.length > max)
      this.fail("max_length", { max_length: max, length: data.name.length });
    return data;
  }
  toRepresentation(value: unknown, context: SerializerContext): string | null {
    const name =
      typeof value === "string" ? value : isUpload(value) ? value.name : value == null ? "" : String(value);
    if (!name) return null;
    if (this.options.useUrl === false) return name;
    const storage = this.options.storage ?? (context.storage as FileStorage | undefined);
    const url = storage ? storage.url(name) : name;
    const build = (context.request as { buildAbsoluteUri?: (u: string) => string } | undefined)
      ?.buildAbsoluteUri;
    return build ? build.call(context.request, url) : url;
  }
  protected override typeSchema(mode: "read" | "write"): JsonSchema {
    return mode === "read"
      ? { type: ["string", "null"], format: "uri" }
      : { type: "string", format: "binary" };
  }
}

// PNG, JPEG, GIF, WebP, BMP, ICO signatures (Pillow's verify(), reduced to sniffing)
const SIGNATURES: readonly number[][] = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38],
  [0x42, 0x4d],
  [0x00, 0x00, 0x01, 0x00],
];

function looksLikeImage(f: UploadedFile): boolean {
  const b = f.bytes ?? (f.content instanceof Uint8Array ? f.content : undefined);
  if (b) {
    if (
      b.length >= 12 &&
      String.fromCharCode(...b.slice(0, 4)) === "RIFF" &&
      String.fromCharCode(...b.slice(8, 12)) === "WEBP"
    )
      return true;
    return SIGNATURES.some((sig) => sig.every((byte, i) => b[i] === byte));
  }
  return f.contentType === undefined || f.contentType.startsWith("image/");
}

export class ImageField<const O extends FileFieldOptions = FileFieldOptions> extends FileField<O> {
  protected override defaultMessages(): Record<string, string> {
    return {
      ...super.defaultMessages(),
      invalid_image:
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
    };
  }
  protected override checkFile(data: unknown): UploadedFile {
    const f = super.checkFile(data);
    if (!looksLikeImage(f)) this.fail("invalid_image");
    return f;
  }
}
