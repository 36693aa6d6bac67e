// /healthz tells a load balancer whether this process can reach its database.
import { closeDatabase } from "@x/models";
import { APIClient } from "@x/views";
import { afterAll, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { readConfig } from "../src/settings/env.js";

afterAll(async () => {
  await closeDatabase();
});

it("answers 503 unavailable when the database does not answer", async () => {
  // Nothing listens on port 1: every connection attempt is refused at once.
  const shop = createApp(
    readConfig({ APP_ENV: "testing", DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" }),
  );
  const res = await new APIClient(shop.app).get("/healthz");
  expect(res.status).toBe(503);
  expect(res.data).toEqual({ status: "unavailable" });
});
