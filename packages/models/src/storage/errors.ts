/**
 * Django's SuspiciousFileOperation: a file name that tries to leave the storage
 * root or cannot be made safe. A client-supplied name causing it is a 400, never a 500.
 */
export class SuspiciousFileOperation extends Error {
  override name = "SuspiciousFileOperation";
}
