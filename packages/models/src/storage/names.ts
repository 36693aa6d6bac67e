import { posix } from "node:path";
import { SuspiciousFileOperation } from "./errors.js";

/**
 * Django's `get_valid_filename`: spaces become underscores and anything but
 * letters, digits, `-`, `_` and `.` is dropped. `"my photo (1).JPG"` → `"my_photo_1.JPG"`.
 */
export function getValidFilename(name: string): string {
  const cleaned = name
    .trim()
    .replace(/ /g, "_")
    .replace(/[^-\p{L}\p{N}_.]/gu, "");
  if (cleaned === "" || cleaned === "." || cleaned === "..") {
    throw new SuspiciousFileOperation(`Could not derive file name from '${name}'`);
  }
  return cleaned;
}

/**
 * Django's `validate_file_name`: rejects empty names, absolute paths, `..`
 * segments and backslashes (a Windows separator a POSIX server would keep).
 */
export function validateFileName(name: string, { allowRelativePath = true } = {}): string {
  if (name === "" || name === "." || name === ".." || name.includes("\0")) {
    throw new SuspiciousFileOperation(`Could not derive file name from '${name}'`);
  }
  if (name.includes("\\")) throw new SuspiciousFileOperation(`Detected path traversal attempt in '${name}'`);
  if (allowRelativePath) {
    if (posix.isAbsolute(name) || name.split("/").includes("..")) {
      throw new SuspiciousFileOperation(`Detected path traversal attempt in '${name}'`);
    }
  } else if (name !== posix.basename(name)) {
    throw new SuspiciousFileOperation(`File name '${name}' includes path elements`);
  }
  return name;
}

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Seven random letters/digits, as Django's `get_random_string(7)` for colliding names. */
export function randomSuffix(length = 7): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return out;
}

/** Splits `"dir/photo.tar.gz"` into `["dir/photo", ".tar.gz"]`-style root and extension (last dot only, like Django). */
export function splitExtension(name: string): [root: string, ext: string] {
  const dir = posix.dirname(name);
  const base = posix.basename(name);
  const dot = base.lastIndexOf(".");
  const [root, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ""];
  return [dir === "." ? root : `${dir}/${root}`, ext];
}
