import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  configureStorage,
  FileSystemStorage,
  generateFilename,
  getStorage,
  getValidFilename,
  SuspiciousFileOperation,
  saveUpload,
  strftime,
} from "../src/index.js";

let root: string;
let storage: FileSystemStorage;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "x-storage-"));
  storage = new FileSystemStorage({ location: root, baseUrl: "/media" });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("FileSystemStorage", () => {
  it("saves, opens, sizes, serves and deletes files", async () => {
    const name = await storage.save("docs/readme.txt", "hello");
    expect(name).toBe("docs/readme.txt");
    expect(await readFile(join(root, "docs/readme.txt"), "utf8")).toBe("hello");
    expect(Buffer.from(await storage.open(name)).toString("utf8")).toBe("hello");
    expect(await storage.size(name)).toBe(5);
    expect(await storage.exists(name)).toBe(true);
    expect(storage.url(name)).toBe("/media/docs/readme.txt");
    expect(storage.url("a b/ü.txt")).toBe("/media/a%20b/%C3%BC.txt");
    await storage.delete(name);
    expect(await storage.exists(name)).toBe(false);
    await expect(storage.delete(name)).resolves.toBeUndefined(); // missing is fine, as Django
  });

  it("saves bytes and streams", async () => {
    const bytes = await storage.save("b.bin", new Uint8Array([1, 2, 3]));
    expect([...(await storage.open(bytes))]).toEqual([1, 2, 3]);
    const streamed = await storage.save("s.txt", Readable.from([Buffer.from("ab"), Buffer.from("cd")]));
    expect(Buffer.from(await storage.open(streamed)).toString()).toBe("abcd");
    async function* chunks() {
      yield new TextEncoder().encode("xy");
    }
    const iterated = await storage.save("i.txt", chunks());
    expect(await storage.size(iterated)).toBe(2);
  });

  it("never overwrites: a colliding name gets a random suffix before the extension", async () => {
    const first = await storage.save("photo.jpg", "1");
    const second = await storage.save("photo.jpg", "2");
    const third = await storage.save("photo.jpg", "3");
    expect(first).toBe("photo.jpg");
    expect(second).toMatch(/^photo_[A-Za-z0-9]{7}\.jpg$/);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(Buffer.from(await storage.open(first)).toString()).toBe("1");
    expect(Buffer.from(await storage.open(second)).toString()).toBe("2");
    // Concurrent saves of one name each get their own file.
    const names = await Promise.all(Array.from({ length: 5 }, (_, i) => storage.save("same.txt", String(i))));
    expect(new Set(names).size).toBe(5);
  });

  it("truncates to max_length when it must, and refuses when it cannot", async () => {
    await storage.save("abcdefghij.txt", "x");
    const name = await storage.save("abcdefghij.txt", "y", { maxLength: 20 });
    expect(name.length).toBeLessThanOrEqual(20);
    expect(name).toMatch(/^abc[a-z]*_[A-Za-z0-9]{7}\.txt$/);
    await expect(storage.save("abcdefghij.txt", "z", { maxLength: 8 })).rejects.toThrow(
      SuspiciousFileOperation,
    );
  });

  it("rejects path traversal in every operation", async () => {
    for (const bad of [
      "../escape.txt",
      "a/../../escape.txt",
      "/etc/passwd",
      "..",
      "",
      "a\\..\\b",
      "nul\0.txt",
    ]) {
      await expect(storage.save(bad, "x"), bad).rejects.toThrow(SuspiciousFileOperation);
      await expect(storage.open(bad), bad).rejects.toThrow(SuspiciousFileOperation);
      await expect(storage.exists(bad), bad).rejects.toThrow(SuspiciousFileOperation);
      await expect(storage.delete(bad), bad).rejects.toThrow(SuspiciousFileOperation);
      expect(() => storage.url(bad), bad).toThrow(SuspiciousFileOperation);
    }
    expect(() => storage.path("../x")).toThrow("Detected path traversal attempt in '../x'");
  });

  it("keeps symlinked directories inside the root reachable (paths are checked lexically)", async () => {
    await storage.save("real/a.txt", "a");
    await symlink(join(root, "real"), join(root, "link"));
    expect(await storage.exists("link/a.txt")).toBe(true);
  });
});

describe("upload_to", () => {
  const when = new Date("2026-11-27T08:09:10Z");

  it("expands strftime patterns in UTC", () => {
    expect(strftime("products/%Y/%m/%d/", when)).toBe("products/2026/11/27/");
    expect(strftime("%y-%j %H:%M:%S %b %B %a %A %p 100%%", when)).toBe(
      "26-331 08:09:10 Nov November Fri Friday AM 100%",
    );
  });

  it("joins the pattern with the cleaned client file name", () => {
    expect(generateFilename("products/%Y/%m/%d/", null, "my photo (1).JPG", when)).toBe(
      "products/2026/11/27/my_photo_1.JPG",
    );
    // The client's directories are dropped, traversal included.
    expect(generateFilename("avatars/", null, "../../etc/passwd", when)).toBe("avatars/passwd");
    expect(generateFilename("avatars/", null, "C:\\Users\\me\\face.png", when)).toBe("avatars/face.png");
    expect(generateFilename(undefined, null, "plain.txt", when)).toBe("plain.txt");
    expect(() => generateFilename("x/", null, "??", when)).toThrow("Could not derive file name from '??'");
    expect(getValidFilename(" café menu.pdf ")).toBe("café_menu.pdf");
  });

  it("calls an upload_to function with the instance and validates its result", () => {
    const byUser = (instance: { id: number }, filename: string) => `users/${instance.id}/${filename}`;
    expect(generateFilename(byUser, { id: 7 }, "a.png", when)).toBe("users/7/a.png");
    expect(() => generateFilename(() => "../outside.png", {}, "a.png", when)).toThrow(
      SuspiciousFileOperation,
    );
    expect(() => generateFilename(() => "/abs.png", {}, "a.png", when)).toThrow(SuspiciousFileOperation);
  });

  it("saveUpload stores under the generated, available name", async () => {
    const first = await saveUpload({
      uploadTo: "products/%Y/%m/%d/",
      instance: null,
      filename: "shoe.png",
      content: "png",
      storage,
      now: when,
    });
    const second = await saveUpload({
      uploadTo: "products/%Y/%m/%d/",
      instance: null,
      filename: "shoe.png",
      content: "png2",
      storage,
      now: when,
    });
    expect(first).toBe("products/2026/11/27/shoe.png");
    expect(second).toMatch(/^products\/2026\/11\/27\/shoe_[A-Za-z0-9]{7}\.png$/);
    expect(storage.url(first)).toBe("/media/products/2026/11/27/shoe.png");
  });

  it("uses the configured default storage", async () => {
    configureStorage(storage);
    expect(getStorage()).toBe(storage);
    const name = await saveUpload({ instance: null, filename: "d.txt", content: "d" });
    expect(await storage.exists(name)).toBe(true);
  });
});
