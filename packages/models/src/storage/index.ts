// File storage: the Storage interface, a local-disk implementation, upload_to naming.
export { configureStorage, getStorage } from "./default-storage.js";
export { SuspiciousFileOperation } from "./errors.js";
export { FileSystemStorage, type FileSystemStorageOptions } from "./file-system-storage.js";
export { getValidFilename, validateFileName } from "./names.js";
export { type SaveUploadOptions, saveUpload } from "./save-upload.js";
export type { FileContent, Storage } from "./storage.js";
export { strftime } from "./strftime.js";
export { generateFilename, type UploadTo } from "./upload-to.js";
