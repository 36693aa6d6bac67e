import { FileSystemStorage } from "./file-system-storage.js";
import type { Storage } from "./storage.js";

let defaultStorage: Storage | undefined;

/** Sets the storage FileFields use unless they name their own (Django's `STORAGES["default"]`). */
export function configureStorage(storage: Storage): Storage {
  defaultStorage = storage;
  return storage;
}

/** The default storage: `FileSystemStorage({ location: "./media", baseUrl: "/media/" })` unless configured. */
export function getStorage(): Storage {
  defaultStorage ??= new FileSystemStorage({ location: "./media", baseUrl: "/media/" });
  return defaultStorage;
}
