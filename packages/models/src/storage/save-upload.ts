import { getStorage } from "./default-storage.js";
import type { FileContent, Storage } from "./storage.js";
import { generateFilename, type UploadTo } from "./upload-to.js";

export interface SaveUploadOptions<I> {
  /** The field's `upload_to`. */
  uploadTo?: UploadTo<I>;
  /** The model instance the file belongs to (passed to an `upload_to` function). */
  instance: I;
  /** The client's file name; only its cleaned base name is used with a pattern. */
  filename: string;
  content: FileContent;
  /** Default: the configured storage. */
  storage?: Storage;
  /** The field's max_length (FileField default 100). */
  maxLength?: number;
  now?: Date;
}

/**
 * Stores an uploaded file the way a FileField does: generate the name from
 * `upload_to`, save it under an available name, and return the stored name
 * (the value to put in the field).
 */
export async function saveUpload<I>(options: SaveUploadOptions<I>): Promise<string> {
  const storage = options.storage ?? getStorage();
  const name = generateFilename(options.uploadTo, options.instance, options.filename, options.now);
  return storage.save(name, options.content, { maxLength: options.maxLength ?? 100 });
}
