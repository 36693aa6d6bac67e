// Case-insensitive lookups (iexact, icontains, istartswith, iendswith) give the same rows on SQLite
// and PostgreSQL: on SQLite, pure-ASCII values are matched with LIKE and the others with the
// registered x_lower() (compiler.ts, sqliteCaseInsensitive); these cases pin the edges of that split.
import { describe, expect, it } from "vitest";
import { captureQueries, F, Q } from "../src/index.js";
import { useTestDatabase } from "./support/db.js";
import { Author, allModels, Book, Category, Product } from "./support/shop.js";

const tdb = useTestDatabase(allModels);

const NAMES = [
  "Smart Phone",
  "SMARTWATCH",
  "smart tv",
  "École Phone",
  "ÉCOLE Case",
  "ΟΔΟΣ ΣΑΣ",
  "Straße",
  "STRASSE",
  "İstanbul",
  "\u212A-meter", // KELVIN SIGN: lowercases to ASCII "k"
  "100% cotton",
  "snake_case",
  "snakeXcase",
  "back\\slash",
  "a_c",
  "abc",
  "",
];

async function products() {
  const smart = await Category.objects.create({ name: "Smart Home" });
  const eclair = await Category.objects.create({ name: "ÉCLAIRAGE" });
  await Product.objects.bulkCreate(
    NAMES.map(
      (name, i) =>
        new Product({
          name,
          slug: `p${i}`,
          price: "1.00",
          stock: i * 5,
          category: i % 3 === 0 ? smart : i % 3 === 1 ? eclair : null,
          metadata: { lang: i % 2 === 0 ? "EN" : "fr-École" },
          description: i === 0 ? "x".repeat(60_000) : `Item ${name}`,
        }),
    ),
  );
}

type Lookup = "iexact" | "icontains" | "istartswith" | "iendswith";

async function names(lookup: Lookup, term: string, field = "name"): Promise<string[]> {
  const rows = await Product.objects.filter({ [`${field}__${lookup}`]: term } as never);
  return rows.map((r) => r.name).sort();
}

/** What the lookups mean: JavaScript's toLowerCase on both sides (PostgreSQL's lower() differs for a few characters below). */
function expected(lookup: Lookup, term: string, values: readonly string[] = NAMES): string[] {
  const t = term.toLowerCase();
  return values
    .filter((v) => {
      const l = v.toLowerCase();
      if (lookup === "iexact") return l === t;
      if (lookup === "icontains") return l.includes(t);
      if (lookup === "istartswith") return l.startsWith(t);
      return l.endsWith(t);
    })
    .sort();
}

const LOOKUPS: Lookup[] = ["iexact", "icontains", "istartswith", "iendswith"];

describe("case-insensitive lookups", () => {
  it("mixed-case ASCII, wildcard and escape characters, the empty term", async () => {
    await products();
    const terms = [
      "smart",
      "SMART",
      "sMaRt PhOnE",
      "phone",
      "watch",
      "%",
      "100%",
      "0% c",
      "_",
      "e_c",
      "a_c",
      "A_C",
      "a%c",
      "\\",
      "K\\S",
      "back\\slash",
      "",
      "x",
      "zzz",
    ];
    for (const lookup of LOOKUPS) {
      for (const term of terms) {
        expect([lookup, term, await names(lookup, term)]).toEqual([lookup, term, expected(lookup, term)]);
      }
    }
    // the wildcards are literal: iexact "a_c" is not "abc", "%" is not everything
    expect(await names("iexact", "a_c")).toEqual(["a_c"]);
    expect(await names("iexact", "%")).toEqual([]);
    expect(await names("icontains", "_")).toEqual(["a_c", "snake_case"]);
    expect(await names("iexact", "")).toEqual([""]);
    expect(await names("icontains", "")).toHaveLength(NAMES.length);
  });

  it("non-ASCII: É/é, ß, the Kelvin sign, Σ, İ", async () => {
    await products();
    const vendor = tdb.current.vendor;
    const terms = ["école", "ÉCOLE", "É", "é", "straße", "STRASSE", "ß", "ss", "k", "K", "\u212A", "k-METER"];
    for (const lookup of LOOKUPS) {
      for (const term of terms) {
        expect([lookup, term, await names(lookup, term)]).toEqual([lookup, term, expected(lookup, term)]);
      }
    }
    expect(await names("icontains", "École")).toEqual(["ÉCOLE Case", "École Phone"]);
    // ß is not folded to "ss" (lowercasing, not case folding) on either database
    expect(await names("icontains", "ss")).toEqual(["STRASSE"]);
    // the Kelvin sign lowercases to ASCII "k": a non-ASCII value matching an ASCII term
    expect(await names("istartswith", "K-M")).toEqual(["\u212A-meter"]);
    // Where PostgreSQL's lower() (libc, C.UTF-8 here) differs from JavaScript's toLowerCase():
    // a final capital sigma becomes ς in JavaScript, σ in PostgreSQL;
    expect(await names("icontains", "οδος")).toEqual(vendor === "sqlite" ? ["ΟΔΟΣ ΣΑΣ"] : []);
    expect(await names("icontains", "οδοσ")).toEqual(vendor === "sqlite" ? [] : ["ΟΔΟΣ ΣΑΣ"]);
    expect(await names("iexact", "ΟΔΟΣ ΣΑΣ")).toEqual(["ΟΔΟΣ ΣΑΣ"]);
    expect(await names("icontains", "Σ")).toEqual(["ΟΔΟΣ ΣΑΣ"]);
    expect(await names("iendswith", "Σ")).toEqual(vendor === "sqlite" ? [] : ["ΟΔΟΣ ΣΑΣ"]);
    expect(await names("iendswith", "ς")).toEqual(vendor === "sqlite" ? ["ΟΔΟΣ ΣΑΣ"] : []);
    // İ becomes "i̇" (i + U+0307 COMBINING DOT ABOVE) in JavaScript, "i" in PostgreSQL.
    expect(await names("istartswith", "İst")).toEqual(["İstanbul"]);
    expect(await names("istartswith", "ist")).toEqual(vendor === "sqlite" ? [] : ["İstanbul"]);
  });

  it("NULL values through a nullable relation, in filter() and exclude()", async () => {
    await products();
    const withCategory = async (lookup: Lookup, term: string) =>
      (await Product.objects.filter({ [`category__name__${lookup}`]: term } as never)).length;
    const withoutCategory = async (lookup: Lookup, term: string) =>
      (await Product.objects.exclude({ [`category__name__${lookup}`]: term } as never)).length;
    const cats = NAMES.map((_, i) => (i % 3 === 0 ? "Smart Home" : i % 3 === 1 ? "ÉCLAIRAGE" : null));
    for (const lookup of LOOKUPS) {
      for (const term of ["smart home", "SMART", "éclairage", "Éclair", "home", "", "zzz"]) {
        const hits = cats.filter((c) => c !== null && expected(lookup, term, [c]).length === 1).length;
        expect([lookup, term, await withCategory(lookup, term)]).toEqual([lookup, term, hits]);
        // exclude() keeps the rows without a category (Django's semantics)
        expect([lookup, term, await withoutCategory(lookup, term)]).toEqual([
          lookup,
          term,
          NAMES.length - hits,
        ]);
      }
    }
    const author = await Author.objects.create({ name: "Ann" });
    const editor = await Author.objects.create({ name: "Édith" });
    await Book.objects.create({ title: "Dune", author, editor });
    await Book.objects.create({ title: "Emma", author, editor: null });
    const titles = async (q: ReturnType<typeof Q>) =>
      (await Book.objects.filter(q)).map((b) => b.title).sort();
    expect(await titles(Q({ editor__name__icontains: "" }))).toEqual(["Dune"]);
    expect(await titles(Q({ editor__name__iexact: "ÉDITH" }))).toEqual(["Dune"]);
    expect(await titles(Q({ editor__name__icontains: "ann" }).not())).toEqual(["Dune", "Emma"]);
    expect(await titles(Q({ editor__name__istartswith: "éd" }).not())).toEqual(["Emma"]);
  });

  it("a date column (text on SQLite, date on PostgreSQL) with NULLs", async () => {
    const author = await Author.objects.create({ name: "Ann" });
    await Book.objects.create({ title: "Dune", author, published: "2024-05-01" });
    await Book.objects.create({ title: "Emma", author, published: null });
    const titles = async (q: ReturnType<typeof Q>) =>
      (await Book.objects.filter(q)).map((b) => b.title).sort();
    expect(await titles(Q({ published__icontains: "2024" }))).toEqual(["Dune"]);
    expect(await titles(Q({ published__contains: "-05-" }))).toEqual(["Dune"]);
    expect(await titles(Q({ published__istartswith: "" }))).toEqual(["Dune"]);
    expect(await titles(Q({ published__iendswith: "05-01" }))).toEqual(["Dune"]);
    expect(await titles(Q({ published__iexact: "2024-05-01" }))).toEqual(["Dune"]);
    expect(await titles(Q({ published__icontains: "2024" }).not())).toEqual(["Emma"]);
    expect(await titles(Q({ published__iexact: "2023-01-01" }).not())).toEqual(["Dune", "Emma"]);
  });

  it("integer columns, JSON keys and annotations", async () => {
    await products();
    const stocks = NAMES.map((n, i) => ({ n, s: String(i * 5) }));
    expect(await names("icontains", "5", "stock")).toEqual(
      stocks
        .filter((x) => x.s.includes("5"))
        .map((x) => x.n)
        .sort(),
    );
    expect(await names("iendswith", "0", "stock")).toEqual(
      stocks
        .filter((x) => x.s.endsWith("0"))
        .map((x) => x.n)
        .sort(),
    );
    expect(await names("iexact", "10", "stock")).toEqual(["smart tv"]);
    const langs = NAMES.map((n, i) => ({ n, l: i % 2 === 0 ? "EN" : "fr-École" }));
    expect(await names("iexact", "en", "metadata__lang")).toEqual(
      langs
        .filter((x) => x.l === "EN")
        .map((x) => x.n)
        .sort(),
    );
    expect(await names("icontains", "ÉCOLE", "metadata__lang")).toEqual(
      langs
        .filter((x) => x.l !== "EN")
        .map((x) => x.n)
        .sort(),
    );
    const annotated = await Product.objects
      .annotate({ label: F("name") })
      .filter({ label__icontains: "PHONE" } as never);
    expect(annotated.map((r) => r.name).sort()).toEqual(["Smart Phone", "École Phone"]);
  });

  it("long terms (past SQLite's LIKE pattern limit) and the compiled shape reused across terms", async () => {
    await products();
    const long = "X".repeat(60_000);
    // the same shape, bound with a short term, a term LIKE cannot take, and a short term again
    expect(await names("icontains", "xx", "description")).toEqual(["Smart Phone"]);
    expect(await names("icontains", long, "description")).toEqual(["Smart Phone"]);
    expect(await names("iexact", long, "description")).toEqual(["Smart Phone"]);
    expect(await names("icontains", `${long}x`, "description")).toEqual([]);
    expect(await names("icontains", "item smart", "description")).toEqual(["SMARTWATCH", "smart tv"]);
    expect(await names("icontains", "ITEM É", "description")).toEqual(["ÉCOLE Case", "École Phone"]);
    // a shape first seen with a long term: the later short terms still get the LIKE form on SQLite
    expect(await names("iendswith", long, "description")).toEqual(["Smart Phone"]);
    const { result, queries } = await captureQueries(() => names("iendswith", "TV", "description"));
    expect(result).toEqual(["smart tv"]);
    if (tdb.current.vendor === "sqlite") expect(queries[0]?.sql).toContain(" LIKE ");
    expect(await names("iendswith", `${long.slice(1)}x`, "description")).toEqual(["Smart Phone"]);
    expect(await names("iendswith", `é${long}`, "description")).toEqual([]);
  });

  it("NUL characters in values and terms on SQLite; PostgreSQL text refuses them", async () => {
    if (tdb.current.vendor !== "sqlite") {
      await expect(Product.objects.create({ name: "ab\0cd", slug: "nul", price: "1.00" })).rejects.toThrow();
      return;
    }
    await Product.objects.bulkCreate(
      ["ab\0cd", "AB", "ab\0"].map((name, i) => new Product({ name, slug: `n${i}`, price: "1.00" })),
    );
    const values = ["ab\0cd", "AB", "ab\0"];
    for (const lookup of LOOKUPS) {
      for (const term of ["ab", "AB\0", "\0", "cd", "\0CD", "ab\0cd", ""]) {
        const rows = (await names(lookup, term)).map((n) => JSON.stringify(n));
        expect([lookup, JSON.stringify(term), rows]).toEqual([
          lookup,
          JSON.stringify(term),
          expected(lookup, term, values).map((n) => JSON.stringify(n)),
        ]);
      }
    }
  });
});
