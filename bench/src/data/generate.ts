// Fixture-shaped demo data at any scale, in Django's fixture format
// ({model, pk, fields}), for the scaling benchmark: scale N has N× the
// products, users, reviews and orders of scale 1 (12 categories always).
// Deterministic: the same scale always gives the same file.
import { pbkdf2Sync } from "node:crypto";

export interface FixtureRow {
  model: string;
  pk: number;
  fields: Record<string, unknown>;
}

export const FIXTURE_PASSWORD = "shop-pass-123";

/** xorshift32: a tiny seeded generator, so runs are repeatable. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  const between = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const oneOf = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, between, oneOf };
}

const EPOCH = Date.UTC(2026, 0, 1);
const at = (minutes: number) => new Date(EPOCH + minutes * 60_000).toISOString().replace(".000Z", "Z");

const CATEGORIES = [
  "Electronics",
  "Clothing",
  "Books",
  "Home & Kitchen",
  "Garden",
  "Toys",
  "Sports",
  "Beauty",
  "Grocery",
  "Music",
  "Office",
  "Pets",
];
const FIRST_NAMES = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Radia"];
const LAST_NAMES = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov"];
const ADJECTIVES = ["Compact", "Deluxe", "Eco", "Classic", "Smart", "Rugged", "Silent", "Vintage", "Ultra"];
const NOUNS = ["Lamp", "Kettle", "Backpack", "Novel", "Headphones", "Jacket", "Speaker", "Mug", "Keyboard"];
const TAGS = ["new", "sale", "gift", "eco", "bestseller", "limited", "bundle", "refurbished"];
const COMMENTS = ["Great.", "Works as described.", "Not worth the price.", "Would buy again.", ""];
const STATUSES = ["pending", "processing", "completed", "completed", "cancelled"];

/** Django's `pbkdf2_sha256$iterations$salt$hash`; few iterations keep logins cheap in a benchmark. */
function passwordHash(salt: string): string {
  const iterations = 20_000;
  const hash = pbkdf2Sync(FIXTURE_PASSWORD, salt, iterations, 32, "sha256").toString("base64");
  return `pbkdf2_sha256$${iterations}$${salt}$${hash}`;
}

export function generateFixture(scale: number): FixtureRow[] {
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`scale must be a positive integer, not ${scale}`);
  const rnd = random(2026 * scale);
  const rows: FixtureRow[] = [];
  const add = (model: string, pk: number, fields: Record<string, unknown>) =>
    rows.push({ model, pk, fields });

  add("auth.group", 1, {
    name: "Catalog managers",
    permissions: ["add", "change", "delete", "view"].map((a) => [`${a}_product`, "products", "product"]),
  });

  // One hash for every user: hashing thousands of passwords would dominate the generation time.
  const password = passwordHash("benchsalt");
  const customers: number[] = [];
  const addUser = (pk: number, username: string, extra: Record<string, unknown> = {}) => {
    add("users.user", pk, {
      password,
      last_login: null,
      is_superuser: false,
      username,
      first_name: "",
      last_name: "",
      email: `${username}@example.com`,
      is_staff: false,
      is_active: true,
      date_joined: at(pk),
      groups: [],
      user_permissions: [],
      ...extra,
    });
    add("users.profile", pk, { user: pk, bio: "", avatar: null });
  };
  addUser(1, "admin", { is_superuser: true, is_staff: true });
  addUser(2, "manager", { is_staff: true, groups: [1] });
  for (let pk = 3; pk < 3 + 40 * scale; pk++) {
    const first = rnd.oneOf(FIRST_NAMES);
    addUser(pk, `${first.toLowerCase()}${pk}`, { first_name: first, last_name: rnd.oneOf(LAST_NAMES) });
    customers.push(pk);
  }

  CATEGORIES.forEach((name, i) => {
    const slug = name.toLowerCase().replace(/ & /g, "-").replace(/\s+/g, "-");
    add("products.category", i + 1, { name, slug, description: `Everything in ${name}.` });
  });

  const live: { pk: number; price: string }[] = [];
  for (let pk = 1; pk <= 500 * scale; pk++) {
    const name = `${rnd.oneOf(ADJECTIVES)} ${rnd.oneOf(NOUNS)} ${pk}`;
    const priceCents = rnd.between(200, 90_000);
    const costCents = Math.floor(priceCents * (0.3 + rnd.next() * 0.6));
    const deleted = rnd.next() < 0.04;
    if (!deleted) live.push({ pk, price: (priceCents / 100).toFixed(2) });
    add("products.product", pk, {
      created_at: at(10_000 + pk * 7),
      updated_at: at(10_000 + pk * 7 + rnd.between(0, 5000)),
      is_deleted: deleted,
      deleted_at: deleted ? at(10_000_000 + pk) : null,
      name,
      slug: name.toLowerCase().replace(/\s+/g, "-"),
      description: `${name}: a ${rnd.oneOf(ADJECTIVES).toLowerCase()} choice for everyday use.`,
      price: (priceCents / 100).toFixed(2),
      cost: (costCents / 100).toFixed(2),
      discount_percentage: rnd.next() < 0.2 ? rnd.oneOf([5, 10, 15, 20, 25, 50]) : 0,
      // Plenty of stock: the order-creation benchmark must never run out.
      stock: rnd.next() < 0.1 ? 0 : rnd.between(1, 250),
      tags: [...new Set(Array.from({ length: rnd.between(0, 3) }, () => rnd.oneOf(TAGS)))],
      metadata:
        rnd.next() < 0.5 ? { color: rnd.oneOf(["red", "blue"]), weight_g: rnd.between(50, 5000) } : {},
      category: rnd.between(1, CATEGORIES.length),
      is_featured: rnd.next() < 0.05,
      created_by: 2,
      favorited_by: [],
    });
  }

  let reviewPk = 0;
  for (const product of live) {
    for (const user of new Set(Array.from({ length: rnd.between(0, 5) }, () => rnd.oneOf(customers)))) {
      reviewPk++;
      add("products.review", reviewPk, {
        product: product.pk,
        user,
        rating: rnd.between(1, 5),
        comment: rnd.oneOf(COMMENTS),
        created_at: at(1_000_000 + reviewPk * 3),
      });
    }
  }

  let itemPk = 0;
  for (let pk = 1; pk <= 200 * scale; pk++) {
    add("orders.order", pk, {
      created_at: at(2_000_000 + pk * 11),
      updated_at: at(2_000_000 + pk * 11 + 30),
      user: rnd.oneOf(customers),
      status: rnd.oneOf(STATUSES),
    });
    for (const product of new Set(Array.from({ length: rnd.between(1, 4) }, () => rnd.oneOf(live)))) {
      itemPk++;
      add("orders.orderitem", itemPk, {
        order: pk,
        product: product.pk,
        quantity: rnd.between(1, 3),
        price: product.price,
      });
    }
  }
  return rows;
}
