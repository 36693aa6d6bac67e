// Multipart uploads through a serializer's FileField into the storage, end to end.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CharField,
  configureStorage,
  createTestDatabase,
  defineModel,
  FileSystemStorage,
  type InstanceOf,
  FileField as ModelFileField,
} from "@x/models";
import { ModelSerializer } from "@x/serializers";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APIClient, ModelViewSet, type SerializerLike } from "../src/index.js";

const Document = defineModel("uploadviews.Document", {
  fields: {
    title: CharField({ maxLength: 100 }),
    file: ModelFileField({ uploadTo: "docs/" }),
    owner: CharField({ maxLength: 50, default: "" }),
  },
});

class DocumentSerializer extends ModelSerializer.of({ model: Document, fields: ["id", "title", "file"] }) {}

class DocumentViewSet extends ModelViewSet<InstanceOf<typeof Document>> {
  static override queryset = Document.objects.all();
  static override serializerClass = DocumentSerializer;

  // A user hook that passes its own extra fields still gets the upload stored.
  override async performCreate(serializer: SerializerLike): Promise<void> {
    await serializer.save({ owner: "alice" });
  }
}

let media: string;
let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  media = await mkdtemp(join(tmpdir(), "views-uploads-"));
  configureStorage(new FileSystemStorage({ location: media, baseUrl: "/media/" }));
  tdb = await createTestDatabase({ models: [Document] });
});
afterAll(async () => {
  await tdb.close();
  await rm(media, { recursive: true, force: true });
});
beforeEach(async () => {
  await tdb.reset();
});

function app(): Hono {
  const hono = new Hono();
  hono.all("/documents/", DocumentViewSet.asView({ get: "list", post: "create" }));
  hono.all("/documents/:pk/", DocumentViewSet.asView({ get: "retrieve", patch: "partialUpdate" }));
  return hono;
}

describe("multipart uploads to storage", () => {
  it("stores the file under upload_to and answers its absolute URL", async () => {
    const client = new APIClient(app());
    const res = await client.post(
      "/documents/",
      { title: "Report", file: new File(["quarterly numbers"], "report.txt", { type: "text/plain" }) },
      { format: "multipart" },
    );
    expect(res.status).toBe(201);
    expect(res.data).toEqual({
      id: expect.any(Number),
      title: "Report",
      file: "http://testserver/media/docs/report.txt",
    });
    const row = await Document.objects.get({ pk: res.data.id });
    expect([row.file, row.owner]).toEqual(["docs/report.txt", "alice"]);
    expect(await readFile(join(media, "docs/report.txt"), "utf8")).toBe("quarterly numbers");

    // A second file with the same name gets a free name; the first stays intact.
    const again = await client.patch(
      `/documents/${res.data.id}/`,
      { file: new File(["v2"], "report.txt") },
      { format: "multipart" },
    );
    expect(again.status).toBe(200);
    const stored = (await Document.objects.get({ pk: res.data.id })).file;
    expect(stored).toMatch(/^docs\/report_[A-Za-z0-9]{7}\.txt$/);
    expect(await readFile(join(media, stored), "utf8")).toBe("v2");
    expect(await readFile(join(media, "docs/report.txt"), "utf8")).toBe("quarterly numbers");
  });

  it("a missing or empty file is DRF's 400, nothing stored", async () => {
    const client = new APIClient(app());
    const missing = await client.post("/documents/", { title: "No file" }, { format: "multipart" });
    expect([missing.status, missing.data]).toEqual([400, { file: ["No file was submitted."] }]);
    const empty = await client.post(
      "/documents/",
      { title: "Empty", file: new File([], "empty.txt") },
      { format: "multipart" },
    );
    expect([empty.status, empty.data]).toEqual([400, { file: ["The submitted file is empty."] }]);
    const notAFile = await client.post(
      "/documents/",
      { title: "Text", file: "just text" },
      { format: "multipart" },
    );
    expect(notAFile.data).toEqual({
      file: ["The submitted data was not a file. Check the encoding type on the form."],
    });
    expect(await Document.objects.count()).toBe(0);
  });
});
