import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { SuspiciousFileOperation } from "./errors.js";
import { randomSuffix, splitExtension, validateFileName } from "./names.js";
import type { FileContent, Storage } from "./storage.js";

export interface FileSystemStorageOptions {
  /** The directory files live under (Django's MEDIA_ROOT). */
  location: string;
  /** The URL prefix files are served at (Django's MEDIA_URL), e.g. `"/media/"`. */
  baseUrl: string;
  /** Mode for new files (default 0o644) and directories (default 0o755). */
  fileMode?: number;
  directoryMode?: number;
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}

function encodeUrlPath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}

/** Django's FileSystemStorage: files under `location`, served under `baseUrl`. */
export class FileSystemStorage implements Storage {
  readonly location: string;
  readonly baseUrl: string;
  private readonly fileMode: number;
  private readonly directoryMode: number;

  constructor(options: FileSystemStorageOptions) {
    this.location = resolve(options.location);
    this.baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.fileMode = options.fileMode ?? 0o644;
    this.directoryMode = options.directoryMode ?? 0o755;
  }

  /** The absolute path of a stored name; refuses anything that resolves outside `location` (Django's safe_join). */
  path(name: string): string {
    validateFileName(name);
    const full = resolve(join(this.location, name));
    const rel = relative(this.location, full);
    if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || resolve(rel) === rel) {
      throw new SuspiciousFileOperation(
        `The joined path (${full}) is located outside of the base path component (${this.location})`,
      );
    }
    return full;
  }

  async exists(name: string): Promise<boolean> {
    try {
      await stat(this.path(name));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async getAvailableName(name: string, options: { maxLength?: number } = {}): Promise<string> {
    validateFileName(name);
    let candidate = name;
    const [root, ext] = splitExtension(name);
    for (let attempt = 0; attempt < 100; attempt++) {
      if (attempt > 0 || (await this.exists(candidate))) {
        candidate = `${root}_${randomSuffix()}${ext}`;
      }
      if (options.maxLength !== undefined && candidate.length > options.maxLength) {
        // Truncate the root to make room, as Django does; give up when nothing of it is left.
        const over = candidate.length - options.maxLength;
        const base = root.slice(root.lastIndexOf("/") + 1);
        if (over >= base.length) {
          throw new SuspiciousFileOperation(
            `Storage can not find an available filename for "${name}". Please make sure that the corresponding file field allows sufficient "max_length".`,
          );
        }
        const dir = root.slice(0, root.lastIndexOf("/") + 1);
        candidate = `${dir}${base.slice(0, base.length - over)}${candidate.slice(root.length)}`;
      }
      if (!(await this.exists(candidate))) return candidate;
    }
    throw new SuspiciousFileOperation(`Storage can not find an available filename for "${name}".`);
  }

  async save(name: string, content: FileContent, options: { maxLength?: number } = {}): Promise<string> {
    for (;;) {
      const available = await this.getAvailableName(name, options);
      const full = this.path(available);
      await mkdir(dirname(full), { recursive: true, mode: this.directoryMode });
      try {
        // "wx": fail rather than overwrite when another writer took the name meanwhile.
        if (typeof content === "string" || content instanceof Uint8Array) {
          await writeFile(full, content, { flag: "wx", mode: this.fileMode });
        } else {
          const source = content instanceof Readable ? content : Readable.from(content);
          await pipeline(source, createWriteStream(full, { flags: "wx", mode: this.fileMode }));
        }
        return available;
      } catch (error) {
        if (typeof error === "object" && error !== null && "code" in error && error.code === "EEXIST")
          continue;
        throw error;
      }
    }
  }

  async open(name: string): Promise<Uint8Array> {
    return readFile(this.path(name));
  }

  async delete(name: string): Promise<void> {
    if (!name) throw new SuspiciousFileOperation("The name must be given to delete().");
    await rm(this.path(name), { force: true });
  }

  async size(name: string): Promise<number> {
    return (await stat(this.path(name))).size;
  }

  url(name: string): string {
    validateFileName(name);
    return `${this.baseUrl}${encodeUrlPath(name)}`;
  }
}
