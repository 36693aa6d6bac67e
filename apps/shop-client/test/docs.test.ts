// One running shop-api for the document checks: the committed types are what
// `generate` makes of the live document, and the Swagger UI page renders the
// product operations in Debian's Chromium (where it is installed).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchDocument, SCHEMA_TYPES_PATH, schemaTypes } from "../scripts/schema-types.js";
import { type RunningShop, startShop } from "../scripts/shop-server.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop();
}, 90_000);
afterAll(async () => {
  await shop?.stop();
});

describe("src/schema.d.ts", () => {
  it("is what `generate` makes of the running shop-api's document", async () => {
    const expected = await schemaTypes(await fetchDocument(shop.baseUrl));
    const committed = await readFile(SCHEMA_TYPES_PATH, "utf8");
    expect(committed, "src/schema.d.ts is stale: run `npx pnpm@12.4.2 --filter shop-client generate`").toBe(
      expected,
    );
  });
});

describe("/api/docs/ in a browser", () => {
  it("renders the product operations from /api/schema/", async () => {
    if (!existsSync(CHROMIUM)) {
      console.warn(`browser tests not run: ${CHROMIUM} is missing (apt-get install -y chromium)`);
      return;
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (request) => {
        requests.push(request.url());
      });
      const response = await page.goto(`${shop.baseUrl}/api/docs/`);
      expect(response?.status()).toBe(200);

      await expect
        .poll(() => page.locator(".info .title").textContent(), { timeout: 15_000 })
        .toContain("shop-api");
      const products = page.locator(".opblock-tag-section", { hasText: "products" });
      await products.first().waitFor({ timeout: 15_000 });
      const listOperation = page.locator(".opblock-get", { hasText: "/api/{version}/products/" });
      await expect.poll(() => listOperation.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const paths = await page.locator(".opblock-summary-path").allInnerTexts();
      const normalised = paths.map((text) => text.replace(/\u200b/g, "").trim());
      expect(normalised).toEqual(
        expect.arrayContaining([
          "/api/{version}/products/",
          "/api/{version}/products/{pk}/",
          "/api/{version}/products/{pk}/add-review/",
        ]),
      );
      // Everything came from the shop-api itself: no CDN.
      expect(requests.filter((url) => !url.startsWith(shop.baseUrl))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
