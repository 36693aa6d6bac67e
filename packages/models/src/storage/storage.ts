import type { Readable } from "node:stream";

/** What `save` accepts: bytes, text (UTF-8), or a stream of bytes. */
export type FileContent = Uint8Array | string | Readable | AsyncIterable<Uint8Array>;

/**
 * Django's Storage API. Names are relative POSIX paths inside the storage
 * (`"products/2026/11/27/photo.jpg"`); `save` may return a different name
 * than asked for (collisions get a random suffix).
 */
export interface Storage {
  /** Stores the content under an available name derived from `name`; resolves to the stored name. */
  save(name: string, content: FileContent, options?: { maxLength?: number }): Promise<string>;
  /** The whole file's bytes. */
  open(name: string): Promise<Uint8Array>;
  /** Deletes the file; a missing file is not an error (Django's behaviour). */
  delete(name: string): Promise<void>;
  exists(name: string): Promise<boolean>;
  /** Size in bytes. */
  size(name: string): Promise<number>;
  /** The URL the file is served at. */
  url(name: string): string;
  /** A free name for `name` (the name itself, or with `_<7 random chars>` before the extension). */
  getAvailableName(name: string, options?: { maxLength?: number }): Promise<string>;
}
