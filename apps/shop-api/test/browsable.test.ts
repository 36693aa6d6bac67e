// The browsable API in Debian's Chromium (where it is installed): open the API
// root, log in as the fixture's manager through the login page, browse to the
// product list and a product, create a product through the HTML form (the row
// is in the database, the page shows the 201) and see a validation error next
// to its field. The shop runs in-process on the test database (TEST_DB),
// served over real HTTP as the oversell test does.
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Product } from "../src/products/models.js";
import { User } from "../src/users/models.js";
import { createTestShop, PASSWORD, type TestShop } from "./setup.js";

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
const present = existsSync(CHROMIUM);

let shop: TestShop;
let server: ServerType;
let base: string;
let browser: Browser | undefined;

beforeAll(async () => {
  shop = await createTestShop();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: shop.shop.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (present) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await shop?.close();
});

/** The text of the rendered field row `name` of the form on the page. */
function fieldRow(page: Page, form: string, name: string) {
  return page.locator(`${form} [data-field="${name}"]`);
}

describe("the browsable API's wiring (no browser needed)", () => {
  it("a browser gets the page, API clients the JSON; the login page is mounted", async () => {
    const client = shop.client();
    const page = await client.get("/api/v1/", { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.text).toContain("<h1>Api Root</h1>");
    expect(page.text).toContain('<a class="login" href="/api-auth/login/?next=%2Fapi%2Fv1%2F">Log in</a>');
    const json = await client.get("/api/v1/");
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(json.data).toHaveProperty("products", "http://testserver/api/v1/products/");
    const login = await client.get("/api-auth/login/", { query: { next: "/api/v1/" } });
    expect(login.status).toBe(200);
    expect(login.text).toContain('<input type="hidden" name="next" value="/api/v1/">');
    expect(login.headers.get("referrer-policy")).toBe("same-origin");
  });
});

describe("the browsable API in a browser", () => {
  it("logs in, browses from the root to a product, creates one and shows a validation error", async () => {
    if (!browser) {
      console.warn(`browser tests not run: ${CHROMIUM} is missing (apt-get install -y chromium)`);
      return;
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    const offsite: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(base)) offsite.push(request.url());
    });
    const scriptErrors: string[] = [];
    page.on("pageerror", (error) => scriptErrors.push(error.message));

    // The API root, as a browser asks for it.
    const root = await page.goto(`${base}/api/v1/`);
    expect(root?.status()).toBe(200);
    expect(root?.headers()["content-type"]).toBe("text/html; charset=utf-8");
    await expect.poll(() => page.locator("h1").textContent()).toBe("Api Root");

    // Log in through the login page; `next` brings the browser back to the root.
    await page.locator("a.login").click();
    await page.waitForURL(/\/api-auth\/login\/\?next=/);
    await page.fill("#id_username", "manager");
    await page.fill("#id_password", PASSWORD);
    await Promise.all([page.waitForURL(`${base}/api/v1/`), page.locator("#login-form button").click()]);
    await expect.poll(() => page.locator("header .username").textContent()).toBe("manager");
    expect(await page.locator("header .logout button").textContent()).toBe("Log out");

    // Root → product list (a link in the JSON) → a product (its `url`).
    await Promise.all([
      page.waitForURL(`${base}/api/v1/products/`),
      page.locator(`.response-body a[href="${base}/api/v1/products/"]`).click(),
    ]);
    expect(await page.locator("h1").textContent()).toMatch(/Product List$/);
    const first = page.locator(".response-body a", { hasText: /\/api\/v1\/products\/\d+\// }).first();
    const productUrl = JSON.parse((await first.textContent()) ?? "null") as string;
    await Promise.all([page.waitForURL(productUrl), first.click()]);
    expect(await page.locator("h1").textContent()).toMatch(/Product Instance$/);
    const productId = Number(/\/products\/(\d+)\//.exec(productUrl)?.[1]);
    const product = await Product.objects.get({ pk: productId });
    // The PUT/PATCH form is prefilled from the product.
    expect(await page.locator('#put-form [name="name"]').inputValue()).toBe(product.name);
    expect(await page.locator('#put-form [name="price"]').inputValue()).toBe(product.price);
    expect(await page.locator("#put-form button").allTextContents()).toEqual(["PUT", "PATCH"]);

    // Back to the list: the create form.
    await page.goto(`${base}/api/v1/products/`);
    const categories = await page.locator('#post-form [name="category"] option').allTextContents();
    expect(categories.length).toBeGreaterThan(1);
    await page.fill('#post-form [name="name"]', "Browser-made lamp");
    await page.fill('#post-form [name="slug"]', "browser-made-lamp");
    await page.fill('#post-form [name="description"]', "Made in Chromium.");
    await page.fill('#post-form [name="price"]', "19.90");
    await page.fill('#post-form [name="cost"]', "7.25");
    await page.fill('#post-form [name="stock"]', "4");
    await page.fill('#post-form [name="tags"]', '["light", "desk"]');
    await page.locator('#post-form [name="category"]').selectOption({ index: 1 });
    await page.locator('#post-form button[value="POST"]').click();
    await expect
      .poll(() => page.locator(".response-info .meta b").first().textContent())
      .toBe("HTTP 201 Created");
    expect(await page.locator(".request").textContent()).toBe("POST /api/v1/products/");
    const created = await Product.objects.get({ slug: "browser-made-lamp" });
    expect(created.name).toBe("Browser-made lamp");
    expect(created.price).toBe("19.90");
    expect(created.cost).toBe("7.25");
    expect(created.stock).toBe(4);
    expect(created.tags).toEqual(["light", "desk"]);
    const manager = await User.objects.get({ username: "manager" });
    expect(created.created_by_id).toBe(manager.pk);
    expect(await page.locator(".response-body").textContent()).toContain('"slug": "browser-made-lamp"');

    // An invalid create: the errors are rendered next to their fields; nothing is saved.
    const before = await Product.objects.count();
    await page.fill('#post-form [name="name"]', "");
    await page.fill('#post-form [name="slug"]', "never-saved");
    await page.fill('#post-form [name="price"]', "-5");
    await page.fill('#post-form [name="cost"]', "1.00");
    await page.locator('#post-form [name="category"]').selectOption({ index: 1 });
    await page.locator('#post-form button[value="POST"]').click();
    await expect
      .poll(() => page.locator(".response-info .meta b").first().textContent())
      .toBe("HTTP 400 Bad Request");
    expect(await fieldRow(page, "#post-form", "name").locator(".errorlist").textContent()).toBe(
      "This field may not be blank.",
    );
    expect(await fieldRow(page, "#post-form", "price").locator(".errorlist").textContent()).toBe(
      "Ensure this value is greater than or equal to 0.",
    );
    // What was sent is still in the form.
    expect(await page.locator('#post-form [name="slug"]').inputValue()).toBe("never-saved");
    expect(await Product.objects.count()).toBe(before);

    // Log out from the header (a CSRF-carrying POST): back on this page, anonymous.
    await Promise.all([
      page.waitForURL(`${base}/api/v1/products/`),
      page.locator("header .logout button").click(),
    ]);
    expect(await page.locator("a.login").textContent()).toBe("Log in");
    expect(await page.locator("#post-form").count()).toBe(0);

    // Nothing came from elsewhere (no CDN), and the page's script ran without errors.
    expect(offsite).toEqual([]);
    expect(scriptErrors).toEqual([]);
    await context.close();
  }, 90_000);

  it("escapes a product name holding a script: the page runs no injected code", async () => {
    if (!browser) {
      console.warn(`browser tests not run: ${CHROMIUM} is missing (apt-get install -y chromium)`);
      return;
    }
    const category = await Product.objects.first();
    const evil = await Product.objects.create({
      name: '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">',
      slug: "xss-probe",
      price: "1.00",
      cost: "0.50",
      category_id: category?.category_id,
    });
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(`${base}/api/v1/products/${evil.pk}/?format=api`);
    expect(await page.locator("h1").textContent()).toMatch(/Product Instance$/);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator(".response-body").textContent()).toContain("<script>window.__xss = 1</script>");
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);
});
