import { describe, expect, it } from "vitest";
import { DecimalError, decimal } from "../src/index.js";

describe("decimal: parsing and formatting", () => {
  it("keeps the written places and renders plain notation", () => {
    expect(decimal.of("12.50")).toBe("12.50");
    expect(decimal.of(" -3 ")).toBe("-3");
    expect(decimal.of("1e2")).toBe("100");
    expect(decimal.of("1.5E-3")).toBe("0.0015");
    expect(decimal.of(".5")).toBe("0.5");
    expect(decimal.of("-0.00")).toBe("0.00");
    expect(decimal.of(12.5)).toBe("12.5");
    expect(decimal.of(10n)).toBe("10");
  });

  it("reads plain and full-grammar text alike (signs, leading zeros, bare points, exponents)", () => {
    const cases: [string, string][] = [
      ["007.50", "7.50"],
      ["-0", "0"],
      ["-0.50", "-0.50"],
      ["5.", "5"],
      ["-.5", "-0.5"],
      ["+5.25", "5.25"],
      ["123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"],
      ["1E+2", "100"],
    ];
    for (const [text, expected] of cases) expect([text, decimal.of(text)]).toEqual([text, expected]);
    for (const bad of ["-", ".", "-.", "1.-2", "1.2a", "12 3", "-+1"])
      expect(decimal.isDecimal(bad)).toBe(false);
    expect(decimal.div("10", "3", 40)).toBe(`3.${"3".repeat(40)}`);
    expect(decimal.quantize("1", 70)).toBe(`1.${"0".repeat(70)}`);
  });

  it("rejects what is not a finite decimal", () => {
    for (const bad of ["", "abc", "1.2.3", "NaN", "Infinity", "1e", "--1", "1,5"]) {
      expect(decimal.isDecimal(bad)).toBe(false);
      expect(() => decimal.of(bad)).toThrow(DecimalError);
    }
    expect(decimal.isDecimal(Number.NaN)).toBe(false);
    expect(decimal.isDecimal(null)).toBe(false);
    expect(decimal.isDecimal("7")).toBe(true);
    expect(() => decimal.of("x1")).toThrow('Invalid decimal value: "x1".');
  });
});

describe("decimal: arithmetic is exact", () => {
  it("adds values that break binary floating point", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(decimal.add("0.1", "0.2")).toBe("0.3");
    expect(decimal.add("12.50", "1.5")).toBe("14.00");
    expect(decimal.sub("0.3", "0.1")).toBe("0.2");
    expect(decimal.sub("1.00", "2.5")).toBe("-1.50");
    expect(decimal.add("99999999999999999999.99", "0.01")).toBe("100000000000000000000.00");
  });

  it("multiplies exactly and rounds only when asked", () => {
    expect(decimal.mul("1.10", "3")).toBe("3.30");
    expect(decimal.mul("19.99", "3")).toBe("59.97");
    expect(decimal.mul("1.005", "1000")).toBe("1005.000");
    expect(decimal.mul("2.675", "1", 2, "ROUND_HALF_UP")).toBe("2.68");
  });

  it("divides to explicit places", () => {
    expect(decimal.div("10", "3", 2)).toBe("3.33");
    expect(decimal.div("2", "3", 2)).toBe("0.67");
    expect(decimal.div("-2", "3", 2)).toBe("-0.67");
    expect(decimal.div("1", "8", 2)).toBe("0.12");
    expect(decimal.div("1", "8", 2, "ROUND_HALF_UP")).toBe("0.13");
    expect(decimal.div("100", "0.5", 0)).toBe("200");
    expect(decimal.div("1e3", "4", 1)).toBe("250.0");
    expect(() => decimal.div("1", "0", 2)).toThrow(DecimalError);
    expect(() => decimal.div("1", "2", -1)).toThrow(DecimalError);
  });

  it("quantizes with every Python rounding mode", () => {
    const cases: [string, decimal.Rounding, string][] = [
      ["2.675", "ROUND_HALF_UP", "2.68"],
      ["2.665", "ROUND_HALF_EVEN", "2.66"],
      ["2.675", "ROUND_HALF_EVEN", "2.68"],
      ["2.675", "ROUND_HALF_DOWN", "2.67"],
      ["2.671", "ROUND_UP", "2.68"],
      ["2.679", "ROUND_DOWN", "2.67"],
      ["-2.671", "ROUND_CEILING", "-2.67"],
      ["-2.671", "ROUND_FLOOR", "-2.68"],
      ["-2.675", "ROUND_HALF_UP", "-2.68"],
      ["2.601", "ROUND_05UP", "2.61"],
      ["2.611", "ROUND_05UP", "2.61"],
      ["2.651", "ROUND_05UP", "2.66"],
    ];
    for (const [value, rounding, expected] of cases) {
      expect(decimal.quantize(value, 2, rounding), `${value} ${rounding}`).toBe(expected);
    }
    expect(decimal.quantize("3", 2)).toBe("3.00");
    expect(decimal.quantize("0.125", 2)).toBe("0.12");
    expect(decimal.quantize("-0.001", 2)).toBe("0.00");
    expect(decimal.ROUNDINGS).toHaveLength(8);
    expect(decimal.DEFAULT_ROUNDING).toBe("ROUND_HALF_EVEN");
  });

  it("negates, takes absolute values and normalizes", () => {
    expect(decimal.neg("1.50")).toBe("-1.50");
    expect(decimal.abs("-1.50")).toBe("1.50");
    expect(decimal.normalize("12.50")).toBe("12.5");
    expect(decimal.normalize("3.00")).toBe("3");
    expect(decimal.normalize("1e2")).toBe("100");
  });
});

describe("decimal: comparisons", () => {
  it("compares numerically regardless of places", () => {
    expect(decimal.compare("1.0", "1.00")).toBe(0);
    expect(decimal.eq("1.0", "1.00")).toBe(true);
    expect(decimal.lt("9.99", "10")).toBe(true);
    expect(decimal.lte("10", "10.00")).toBe(true);
    expect(decimal.gt("-1", "-2")).toBe(true);
    expect(decimal.gte("0.1", "0.10")).toBe(true);
    expect(decimal.compare("0.30", decimal.add("0.1", "0.2"))).toBe(0);
    expect(decimal.sign("-0.01")).toBe(-1);
    expect(decimal.isZero("0.00")).toBe(true);
    expect(decimal.isNegative("-0.00")).toBe(false);
    expect(decimal.isPositive("0.01")).toBe(true);
  });
});

describe("decimal: aggregates", () => {
  it("sums, averages, mins and maxes exactly", () => {
    expect(decimal.sum(["0.1", "0.2", "0.3"])).toBe("0.6");
    expect(decimal.sum([])).toBe("0");
    expect(decimal.sum([], 2)).toBe("0.00");
    expect(decimal.sum(["19.99", "0.01", "5"])).toBe("25.00");
    expect(decimal.avg([], 2)).toBeNull();
    // Ratings 4, 5, 4 average 4.333…; 1 and 2 average exactly 1.5.
    expect(decimal.avg(["4", "5", "4"], 2)).toBe("4.33");
    expect(decimal.avg(["1", "2"], 0)).toBe("2");
    expect(decimal.avg(["2", "3"], 0)).toBe("2");
    // Half-even at the cent: 4.125 → 4.12, 4.135 → 4.14.
    expect(decimal.avg(["4.12", "4.13"], 2)).toBe("4.12");
    expect(decimal.avg(["4.13", "4.14"], 2)).toBe("4.14");
    expect(decimal.avg(["4.12", "4.13"], 2, "ROUND_HALF_UP")).toBe("4.13");
    expect(decimal.min(["2.50", "10", "-1.5"])).toBe("-1.5");
    expect(decimal.max(["2.50", "10", "-1.5"])).toBe("10");
    expect(decimal.max([])).toBeNull();
  });
});

describe("decimal: percentages (the shop's discounted unit price)", () => {
  it("applies a discount rounded half-up to cents", () => {
    // 19.99 × 67 / 100 = 13.3933 → 13.39; as floats 19.99 * 0.67 = 13.393299999999998.
    expect(decimal.applyDiscount("19.99", 33)).toBe("13.39");
    // 10.05 × 67 / 100 = 6.7335 → half-up 6.73; 1.50 × 67 / 100 = 1.005 → half-up 1.01.
    expect(decimal.applyDiscount("10.05", "33")).toBe("6.73");
    expect(decimal.applyDiscount("1.50", 33)).toBe("1.01");
    expect(Math.round(1.005 * 100) / 100).toBe(1); // what floats would give
    expect(decimal.applyDiscount("100.00", "0")).toBe("100.00");
    expect(decimal.applyDiscount("100.00", "100")).toBe("0.00");
    expect(decimal.applyDiscount("0.05", "50")).toBe("0.03");
    expect(decimal.applyDiscount("0.05", "50", 2, "ROUND_HALF_EVEN")).toBe("0.02");
    expect(decimal.applyDiscount("9.99", "12.5")).toBe("8.74");
    expect(() => decimal.applyDiscount("1.00", "101")).toThrow(DecimalError);
    expect(() => decimal.applyDiscount("1.00", "-1")).toThrow(DecimalError);
  });

  it("takes a percentage of an amount", () => {
    expect(decimal.percentOf("19.99", 33)).toBe("6.60");
    expect(decimal.percentOf("200", "7.5", 2)).toBe("15.00");
    expect(decimal.percentOf("0.10", 50)).toBe("0.05");
  });
});

describe("decimal: digit counting as Django's DecimalValidator", () => {
  it("counts digits and places", () => {
    expect(decimal.countDigits("12.50")).toEqual({ digits: 4, decimalPlaces: 2, wholeDigits: 2 });
    expect(decimal.countDigits("0.05")).toEqual({ digits: 2, decimalPlaces: 2, wholeDigits: 0 });
    expect(decimal.countDigits("0.00")).toEqual({ digits: 2, decimalPlaces: 2, wholeDigits: 0 });
    expect(decimal.countDigits("100")).toEqual({ digits: 3, decimalPlaces: 0, wholeDigits: 3 });
    expect(decimal.countDigits("1e2")).toEqual({ digits: 3, decimalPlaces: 0, wholeDigits: 3 });
    expect(decimal.countDigits("-007.5")).toEqual({ digits: 2, decimalPlaces: 1, wholeDigits: 1 });
    expect(decimal.placesOf("12.50")).toBe(2);
    expect(decimal.placesOf("1e2")).toBe(0);
  });
});
