// A shop on a fresh test database (SQLite memory or a PostgreSQL schema, by
// TEST_DB) with the demo fixture loaded, and an in-process client.
import { createPermissions } from "@x/auth";
import { createTestDatabase, loadData, type TestDatabase } from "@x/models";
import { APIClient } from "@x/views";
import { createApp, type ShopApp } from "../src/app.js";
import { DEMO_FIXTURE, projectModels } from "../src/project.js";
import { readConfig } from "../src/settings/env.js";

export const PASSWORD = "shop-pass-123";

export interface TestShop {
  shop: ShopApp;
  tdb: TestDatabase;
  client(): APIClient;
  close(): Promise<void>;
}

export async function createTestShop(env: Record<string, string> = {}): Promise<TestShop> {
  const tdb = await createTestDatabase({ models: projectModels() });
  await createPermissions(projectModels());
  await loadData([DEMO_FIXTURE]);
  const config = readConfig({
    APP_ENV: "testing",
    SECRET_KEY: "test-secret-key-that-is-long-enough-for-hs256",
    THROTTLE_ANON: "100000/hour",
    THROTTLE_USER: "100000/hour",
    THROTTLE_AUTH: "100000/min",
    ...env,
  });
  const shop = createApp(config, { connectDatabase: false });
  return {
    shop,
    tdb,
    client: () => new APIClient(shop.app),
    async close() {
      await tdb.close();
    },
  };
}

/** Logs in with the token endpoint and returns a client that sends the token. */
export async function tokenClient(shop: TestShop, username: string): Promise<APIClient> {
  const client = shop.client();
  const res = await client.post("/api/v1/auth/token/", { username, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  client.credentials({ Authorization: `Token ${(res.data as { token: string }).token}` });
  return client;
}
