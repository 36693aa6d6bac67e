import { describe, expect, it } from "vitest";
import { canonicalDecimal, orderingTerms, searchTerms, searchTermsWithPhrases } from "../src/index.js";

describe("canonicalDecimal (Django's DecimalField input, exact)", () => {
  it.each([
    ["12.50", "12.50"],
    ["+012.50", "12.50"],
    [".5", "0.5"],
    ["5.", "5"],
    ["-0", "0"],
    ["-1.25", "-1.25"],
    ["1e3", "1000"],
    ["1.5E-2", "0.015"],
    ["0.1", "0.1"],
    ["99999999999999999999.99", "99999999999999999999.99"],
  ])("%s → %s", (input, output) => {
    expect(canonicalDecimal(input)).toBe(output);
  });

  it.each(["abc", "", ".", "1.2.3", "NaN", "Infinity", "1e", "0x10", "1,5", "1e99999"])(
    "rejects %j",
    (input) => {
      expect(canonicalDecimal(input)).toBeNull();
    },
  );
});

describe("search terms", () => {
  it("splits on whitespace and commas as DRF 3.14", () => {
    expect(searchTerms("  red,shoe  big\tlamp,,")).toEqual(["red", "shoe", "big", "lamp"]);
    expect(searchTerms('"red shoe"')).toEqual(['"red', 'shoe"']);
    expect(searchTerms("a\u0000b")).toEqual(["ab"]);
    expect(searchTerms(" , ")).toEqual([]);
  });

  it("keeps quoted phrases together with DRF 3.15's splitting", () => {
    expect(searchTermsWithPhrases("\"red shoe\" lamp,desk 'big  one'")).toEqual([
      "red shoe",
      "lamp",
      "desk",
      "big  one",
    ]);
    expect(searchTermsWithPhrases('"say \\"hi\\""')).toEqual(['say "hi"']);
  });
});

describe("ordering terms", () => {
  it("splits on commas and strips", () => {
    expect(orderingTerms(" -price, name ,,stock")).toEqual(["-price", "name", "stock"]);
  });
});
