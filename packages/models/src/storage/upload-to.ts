import { posix } from "node:path";
import { getValidFilename, validateFileName } from "./names.js";
import { strftime } from "./strftime.js";

/** Django's `upload_to`: a strftime pattern for the directory, or a function of the instance and the file name. */
export type UploadTo<I = unknown> = string | ((instance: I, filename: string) => string);

/**
 * The name a FileField stores an upload under (Django's `FieldFile.generate_filename`):
 * a pattern is expanded with strftime (UTC) and joined with the cleaned base name;
 * a function's result is used as is. Either way the result is validated (no absolute
 * paths, no `..`). `generateFilename("products/%Y/%m/%d/", null, "my photo.jpg", date)`
 * → `"products/2026/11/27/my_photo.jpg"`.
 */
export function generateFilename<I>(
  uploadTo: UploadTo<I> | undefined,
  instance: I,
  filename: string,
  now = new Date(),
): string {
  if (typeof uploadTo === "function") return validateFileName(posix.normalize(uploadTo(instance, filename)));
  // Only the client's base name is kept; any directory it sent is dropped.
  const base = getValidFilename(posix.basename(filename.replace(/\\/g, "/")));
  const dir = uploadTo ? strftime(uploadTo, now) : "";
  return validateFileName(posix.normalize(posix.join(dir, base)));
}
