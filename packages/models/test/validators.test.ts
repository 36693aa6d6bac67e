import { describe, expect, it } from "vitest";
import {
  DecimalValidator,
  EmailValidator,
  FileExtensionValidator,
  MaxLengthValidator,
  MaxValueValidator,
  MinLengthValidator,
  MinValueValidator,
  ProhibitNullCharactersValidator,
  RegexValidator,
  runValidators,
  StepValueValidator,
  URLValidator,
  ValidationError,
  validate_comma_separated_integer_list,
  validate_email,
  validate_ipv4_address,
  validate_ipv6_address,
  validate_ipv46_address,
  validate_slug,
  validate_unicode_slug,
  validate_url,
} from "../src/index.js";

/** Runs a validator and returns the ValidationError it threw (fails the test if it did not throw one). */
function errorOf(validate: (value: unknown) => void, value: unknown): ValidationError {
  try {
    validate(value);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

function message(
  validate: (value: unknown) => void,
  value: unknown,
): [string | undefined, string | undefined] {
  const error = errorOf(validate, value);
  return [error.messages[0], error.errorList[0]?.code];
}

describe("MinValueValidator / MaxValueValidator", () => {
  it("uses Django's messages and codes, comparing decimals exactly", () => {
    const min = MinValueValidator("0");
    expect(() => min("0.00")).not.toThrow();
    expect(() => min("12.50")).not.toThrow();
    expect(message(min, "-0.01")).toEqual(["Ensure this value is greater than or equal to 0.", "min_value"]);
    const max = MaxValueValidator(100);
    expect(() => max(100)).not.toThrow();
    expect(() => max("100.00")).not.toThrow();
    expect(message(max, "100.01")).toEqual(["Ensure this value is less than or equal to 100.", "max_value"]);
    // 0.1 + 0.2 as floats exceeds 0.3; as decimals it does not.
    expect(() => MaxValueValidator("0.3")("0.3")).not.toThrow();
    expect(min.code).toBe("min_value");
    expect(min.meta).toEqual({ name: "MinValueValidator", limitValue: "0" });
  });

  it("carries params and accepts a limit function, dates and custom messages", () => {
    const error = errorOf(MinValueValidator(5), 3);
    expect(error.errorList[0]?.params).toEqual({ limit_value: 5, show_value: 3, value: 3 });
    let limit = 10;
    const dynamic = MaxValueValidator(() => limit);
    expect(() => dynamic(11)).toThrow(ValidationError);
    limit = 20;
    expect(() => dynamic(11)).not.toThrow();
    expect(() => MinValueValidator("2026-01-01")("2025-12-31")).toThrow(ValidationError);
    expect(() =>
      MinValueValidator(new Date("2026-01-01T00:00:00Z"))(new Date("2026-01-02T00:00:00Z")),
    ).not.toThrow();
    const custom = MinValueValidator(1, {
      message: "At least %(limit_value)s, got %(value)s.",
      code: "too_small",
    });
    expect(message(custom, 0)).toEqual(["At least 1, got 0.", "too_small"]);
    expect(() => MinValueValidator(1)({})).toThrow(TypeError);
  });
});

describe("StepValueValidator", () => {
  it("checks multiples exactly", () => {
    const step = StepValueValidator("0.05");
    expect(() => step("1.15")).not.toThrow();
    expect(() => step(0.3)).not.toThrow();
    expect(message(step, "1.12")).toEqual([
      "Ensure this value is a multiple of step size 0.05.",
      "step_size",
    ]);
  });
});

describe("MinLengthValidator / MaxLengthValidator", () => {
  it("uses Django's singular and plural messages and counts code points", () => {
    expect(message(MinLengthValidator(3), "ab")).toEqual([
      "Ensure this value has at least 3 characters (it has 2).",
      "min_length",
    ]);
    expect(message(MinLengthValidator(1), "")).toEqual([
      "Ensure this value has at least 1 character (it has 0).",
      "min_length",
    ]);
    expect(message(MaxLengthValidator(5), "abcdef")).toEqual([
      "Ensure this value has at most 5 characters (it has 6).",
      "max_length",
    ]);
    expect(message(MaxLengthValidator(1), "ab")[0]).toBe(
      "Ensure this value has at most 1 character (it has 2).",
    );
    // "é😀" is 2 characters for Python (and Django), 3 UTF-16 units for JS.
    expect(() => MaxLengthValidator(2)("é😀")).not.toThrow();
    expect(() => MaxLengthValidator(2)(["a", "b", "c"])).toThrow(ValidationError);
    expect(() => MaxLengthValidator(2)(5)).toThrow(TypeError);
  });
});

describe("RegexValidator and slugs", () => {
  it("searches the pattern, with inverse matches and custom messages", () => {
    const digits = RegexValidator("^\\d+$");
    expect(() => digits("123")).not.toThrow();
    expect(message(digits, "12a")).toEqual(["Enter a valid value.", "invalid"]);
    const noSpaces = RegexValidator(/\s/, { inverseMatch: true, message: "No spaces.", code: "spaces" });
    expect(message(noSpaces, "a b")).toEqual(["No spaces.", "spaces"]);
    expect(() => noSpaces("ab")).not.toThrow();
    // A global flag must not make repeated calls flip-flop.
    const g = RegexValidator(/a/g);
    expect(() => g("a")).not.toThrow();
    expect(() => g("a")).not.toThrow();
    expect(RegexValidator("^x", { flags: "i" }).meta).toMatchObject({
      name: "RegexValidator",
      inverseMatch: false,
    });
  });

  it("validates slugs as Django does", () => {
    expect(() => validate_slug("my-product_2")).not.toThrow();
    expect(message(validate_slug, "my product")).toEqual([
      "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
      "invalid",
    ]);
    expect(() => validate_slug("café")).toThrow(ValidationError);
    expect(() => validate_unicode_slug("café-1")).not.toThrow();
    expect(message(validate_unicode_slug, "ca fé")[0]).toBe(
      "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
    );
    expect(() => validate_comma_separated_integer_list("1,2,3")).not.toThrow();
    expect(message(validate_comma_separated_integer_list, "1,,2")[0]).toBe(
      "Enter only digits separated by commas.",
    );
  });
});

describe("EmailValidator", () => {
  it("accepts what Django accepts", () => {
    for (const ok of [
      "admin@example.com",
      "first.last+tag@sub.example.co.uk",
      "user@localhost",
      "user@[127.0.0.1]",
      "user@[::1]",
      '"quoted\\ user"@example.com',
      "user@bücher.example",
    ]) {
      expect(() => validate_email(ok), ok).not.toThrow();
    }
  });

  it("rejects what Django rejects", () => {
    for (const bad of [
      "",
      "plain",
      "@example.com",
      "user@",
      "user@example",
      "user@-example.com",
      "user@example-.com",
      "user@example.c",
      "us er@example.com",
      "user..dots@example.com",
      "user@[999.1.1.1]",
      `${"a".repeat(310)}@example.com`,
      42,
    ]) {
      expect(message(validate_email, bad), String(bad)).toEqual(["Enter a valid email address.", "invalid"]);
    }
  });

  it("takes an allowlist", () => {
    expect(() => EmailValidator({ allowlist: ["intranet"] })("bob@intranet")).not.toThrow();
    expect(() => validate_email("bob@intranet")).toThrow(ValidationError);
  });
});

describe("URLValidator", () => {
  it("accepts Django's valid URLs", () => {
    for (const ok of [
      "http://example.com",
      "https://www.example.com/path?q=1#frag",
      "ftp://user:pass@example.com:21/file",
      "http://localhost:8000/",
      "http://127.0.0.1/",
      "http://[::1]:8080/",
      "https://例え.jp/",
      "http://xn--80ak6aa92e.com/",
    ]) {
      expect(() => validate_url(ok), ok).not.toThrow();
    }
  });

  it("rejects invalid URLs and other schemes", () => {
    for (const bad of [
      "example.com",
      "http://",
      "http://example",
      "http://-example.com",
      "javascript:alert(1)",
      "mailto:a@example.com",
      "http://exa mple.com",
      "http://example.com/\nx",
      "http://[::zz]/",
      "http://1.1.1.1.1",
      `http://${"a".repeat(2050)}.com`,
    ]) {
      expect(message(validate_url, bad), bad).toEqual(["Enter a valid URL.", "invalid"]);
    }
    expect(() => URLValidator({ schemes: ["git"] })("git://example.com/repo")).not.toThrow();
    expect(() => URLValidator({ schemes: ["git"] })("http://example.com/")).toThrow(ValidationError);
  });
});

describe("DecimalValidator", () => {
  const price = DecimalValidator(5, 2);

  it("counts digits as Django does and uses its messages", () => {
    for (const ok of ["999.99", "0.05", "-999.99", "1", "0"]) expect(() => price(ok), ok).not.toThrow();
    expect(message(price, "1234.567")).toEqual([
      "Ensure that there are no more than 5 digits in total.",
      "max_digits",
    ]);
    expect(message(price, "1.234")).toEqual([
      "Ensure that there are no more than 2 decimal places.",
      "max_decimal_places",
    ]);
    expect(message(price, "1000.0")).toEqual([
      "Ensure that there are no more than 3 digits before the decimal point.",
      "max_whole_digits",
    ]);
    expect(message(DecimalValidator(3, 1), "1.23")).toEqual([
      "Ensure that there are no more than 1 decimal place.",
      "max_decimal_places",
    ]);
    expect(message(DecimalValidator(2, 1), "12.3")).toEqual([
      "Ensure that there are no more than 2 digits in total.",
      "max_digits",
    ]);
    expect(message(DecimalValidator(2, 1), "12")).toEqual([
      "Ensure that there are no more than 1 digit before the decimal point.",
      "max_whole_digits",
    ]);
    expect(message(price, "abc")).toEqual(["Enter a number.", "invalid"]);
    expect(message(price, "NaN")).toEqual(["Enter a number.", "invalid"]);
    expect(() => DecimalValidator(null, 2)("123456789.12")).not.toThrow();
    expect(price.meta).toEqual({ name: "DecimalValidator", maxDigits: 5, decimalPlaces: 2 });
  });
});

describe("IP, null-character and file-extension validators", () => {
  it("validates IP addresses", () => {
    expect(() => validate_ipv4_address("192.168.0.1")).not.toThrow();
    expect(message(validate_ipv4_address, "256.1.1.1")).toEqual(["Enter a valid IPv4 address.", "invalid"]);
    expect(() => validate_ipv6_address("2001:db8::1")).not.toThrow();
    expect(message(validate_ipv6_address, "1.2.3.4")[0]).toBe("Enter a valid IPv6 address.");
    expect(() => validate_ipv46_address("::1")).not.toThrow();
    expect(message(validate_ipv46_address, "nope")[0]).toBe("Enter a valid IPv4 or IPv6 address.");
  });

  it("prohibits null characters", () => {
    const v = ProhibitNullCharactersValidator();
    expect(() => v("fine")).not.toThrow();
    expect(message(v, "a\0b")).toEqual(["Null characters are not allowed.", "null_characters_not_allowed"]);
  });

  it("checks file extensions case-insensitively", () => {
    const images = FileExtensionValidator(["jpg", "png"]);
    expect(() => images("products/2026/photo.JPG")).not.toThrow();
    expect(() => images({ name: "a.png" })).not.toThrow();
    expect(message(images, "notes.txt")).toEqual([
      "File extension “txt” is not allowed. Allowed extensions are: jpg, png.",
      "invalid_extension",
    ]);
    expect(message(images, "README")[0]).toBe(
      "File extension “” is not allowed. Allowed extensions are: jpg, png.",
    );
  });
});

describe("runValidators", () => {
  it("collects every error, runs custom (async) validators, and overrides messages by code", async () => {
    const notAdmin = (value: unknown) => {
      if (value === "admin") throw new ValidationError("That name is reserved.", { code: "reserved" });
    };
    const asyncCheck = async (value: unknown) => {
      await Promise.resolve();
      if (String(value).startsWith("a")) throw new ValidationError("No a-names.", { code: "a_name" });
    };
    await expect(
      runValidators("bob", [MinLengthValidator(2), notAdmin, asyncCheck]),
    ).resolves.toBeUndefined();
    const error = await runValidators("admin", [MaxLengthValidator(3), notAdmin, asyncCheck]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).messages).toEqual([
      "Ensure this value has at most 3 characters (it has 5).",
      "That name is reserved.",
      "No a-names.",
    ]);
    const overridden = await runValidators("admin", [MaxLengthValidator(3)], {
      max_length: "Too long: %(show_value)d > %(limit_value)d.",
    }).catch((e: unknown) => e);
    expect((overridden as ValidationError).messages).toEqual(["Too long: 5 > 3."]);
    expect((overridden as ValidationError).errorList[0]?.code).toBe("max_length");
    await expect(
      runValidators("x", [
        () => {
          throw new RangeError("bug");
        },
      ]),
    ).rejects.toThrow(RangeError);
  });
});
