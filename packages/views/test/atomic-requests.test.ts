// Django's ATOMIC_REQUESTS: a view that raises after writing leaves no rows behind.
import { CharField, createTestDatabase, defineModel } from "@x/models";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APIClient, apiContext, apiView, defineSettings, Response, ValidationError } from "../src/index.js";

const Note = defineModel("atomicviews.Note", { fields: { text: CharField({ maxLength: 50 }) } });

const quiet = { error: () => {}, warn: () => {} };

function app(atomicRequests: boolean): Hono {
  const hono = new Hono();
  hono.use("*", apiContext({ settings: defineSettings({ atomicRequests, logger: quiet }) }));
  hono.all(
    "/notes/",
    apiView(["POST"], async (request) => {
      const { text, fail } = (await request.data) as {
        text: string;
        fail?: "validation" | "bug" | "no response";
      };
      await Note.objects.create({ text });
      if (fail === "validation") throw new ValidationError({ text: ["Rejected after the write."] });
      if (fail === "bug") throw new Error("boom");
      if (fail === "no response") return undefined as unknown as Response;
      return new Response({ saved: text }, { status: 201 });
    }),
  );
  return hono;
}

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Note] });
});
afterAll(async () => {
  await tdb.close();
});
beforeEach(async () => {
  await tdb.reset();
});

describe("atomicRequests", () => {
  it("commits a successful view and rolls back one that raises (4xx or 500)", async () => {
    const client = new APIClient(app(true));
    expect((await client.post("/notes/", { text: "kept" })).status).toBe(201);
    const rejected = await client.post("/notes/", { text: "gone", fail: "validation" });
    expect([rejected.status, rejected.data]).toEqual([400, { text: ["Rejected after the write."] }]);
    expect((await client.post("/notes/", { text: "gone too", fail: "bug" })).status).toBe(500);
    // A handler that returns no Response is a bug found inside the transaction: rolled back too.
    expect((await client.post("/notes/", { text: "forgotten", fail: "no response" })).status).toBe(500);
    expect(await Note.objects.valuesList("text", { flat: true })).toEqual(["kept"]);
  });

  it("off by default: writes before the error stay", async () => {
    const client = new APIClient(app(false));
    expect((await client.post("/notes/", { text: "stays", fail: "validation" })).status).toBe(400);
    expect(await Note.objects.count()).toBe(1);
  });
});
