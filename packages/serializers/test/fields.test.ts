import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  BooleanField,
  CharField,
  ChoiceField,
  DateField,
  DateTimeField,
  DecimalField,
  DictField,
  DurationField,
  EmailField,
  FileField,
  FloatField,
  ImageField,
  IntegerField,
  IPAddressField,
  JSONField,
  ListField,
  MultipleChoiceField,
  RegexField,
  Serializer,
  SerializerMethodField,
  SlugField,
  TimeField,
  URLField,
  UUIDField,
} from "../src/index.js";

type AnyField = Parameters<typeof Serializer.of>[0][string];

/** Validate one value through a one-field serializer: [ok, value-or-errors]. */
async function check(field: AnyField, value: unknown) {
  const S = Serializer.of({ f: field });
  const s = new S({ data: value === undefined ? {} : { f: value } });
  const ok = await s.isValid();
  return ok ? { ok, value: (s.validatedData as Record<string, unknown>).f } : { ok, errors: s.errors };
}
async function render(field: AnyField, value: unknown) {
  const S = Serializer.of({ f: field });
  return ((await new S({ instance: { f: value } }).data) as Record<string, unknown>).f;
}
const err = (msg: string) => ({ ok: false, errors: { f: [msg] } });

describe("BooleanField", () => {
  it("accepts DRF's spellings", async () => {
    expect(await check(new BooleanField(), "true")).toEqual({ ok: true, value: true });
    expect(await check(new BooleanField(), 0)).toEqual({ ok: true, value: false });
    expect(await check(new BooleanField(), "off")).toEqual({ ok: true, value: false });
    expect(await check(new BooleanField(), "maybe")).toEqual(err("Must be a valid boolean."));
    expect(await check(new BooleanField({ allowNull: true }), "null")).toEqual({ ok: true, value: null });
    expect(await check(new BooleanField(), null)).toEqual(err("This field may not be null."));
    expect(await render(new BooleanField(), 1)).toBe(true);
  });
});

describe("CharField", () => {
  it("trims, checks blank and lengths", async () => {
    expect(await check(new CharField(), "  hi ")).toEqual({ ok: true, value: "hi" });
    expect(await check(new CharField({ trimWhitespace: false }), " hi ")).toEqual({
      ok: true,
      value: " hi ",
    });
    expect(await check(new CharField(), "   ")).toEqual(err("This field may not be blank."));
    expect(await check(new CharField({ allowBlank: true }), "")).toEqual({ ok: true, value: "" });
    expect(await check(new CharField({ maxLength: 3 }), "abcd")).toEqual(
      err("Ensure this field has no more than 3 characters."),
    );
    expect(await check(new CharField({ minLength: 8 }), "short")).toEqual(
      err("Ensure this field has at least 8 characters."),
    );
    expect(await check(new CharField(), 12)).toEqual({ ok: true, value: "12" });
    expect(await check(new CharField(), true)).toEqual(err("Not a valid string."));
    expect(await check(new CharField(), { a: 1 })).toEqual(err("Not a valid string."));
    expect(await check(new CharField(), undefined)).toEqual(err("This field is required."));
  });
  it("takes error_messages overrides", async () => {
    expect(await check(new CharField({ errorMessages: { blank: "Say something." } }), "")).toEqual(
      err("Say something."),
    );
  });
});

describe("string formats", () => {
  it("validates email, regex, slug, url, uuid, ip", async () => {
    expect(await check(new EmailField(), "a@b.co")).toEqual({ ok: true, value: "a@b.co" });
    expect(await check(new EmailField(), "nope")).toEqual(err("Enter a valid email address."));
    expect(await check(new RegexField({ regex: /^\d+$/ }), "x1")).toEqual(
      err("This value does not match the required pattern."),
    );
    expect(await check(new SlugField(), "a b")).toEqual(
      err('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'),
    );
    expect(await check(new URLField(), "https://example.com/x?y=1")).toEqual({
      ok: true,
      value: "https://example.com/x?y=1",
    });
    expect(await check(new URLField(), "example")).toEqual(err("Enter a valid URL."));
    expect(await check(new UUIDField(), "6F9619FF8B86D011B42D00C04FC964FF")).toEqual({
      ok: true,
      value: "6f9619ff-8b86-d011-b42d-00c04fc964ff",
    });
    expect(await check(new UUIDField(), "xyz")).toEqual(err("Must be a valid UUID."));
    expect(await check(new IPAddressField(), "10.0.0.1")).toEqual({ ok: true, value: "10.0.0.1" });
    expect(await check(new IPAddressField(), "::1")).toEqual({ ok: true, value: "::1" });
    expect(await check(new IPAddressField(), "300.0.0.1")).toEqual(
      err("Enter a valid IPv4 or IPv6 address."),
    );
  });
});

describe("numbers", () => {
  it("IntegerField", async () => {
    expect(await check(new IntegerField(), "12")).toEqual({ ok: true, value: 12 });
    expect(await check(new IntegerField(), "12.0")).toEqual({ ok: true, value: 12 });
    expect(await check(new IntegerField(), "12.5")).toEqual(err("A valid integer is required."));
    expect(await check(new IntegerField(), 1.5)).toEqual(err("A valid integer is required."));
    expect(await check(new IntegerField(), "x".repeat(1001))).toEqual(err("String value too large."));
    expect(await check(new IntegerField({ minValue: 1 }), 0)).toEqual(
      err("Ensure this value is greater than or equal to 1."),
    );
    expect(await check(new IntegerField({ maxValue: 100 }), 101)).toEqual(
      err("Ensure this value is less than or equal to 100."),
    );
  });
  it("FloatField", async () => {
    expect(await check(new FloatField(), "1.5e2")).toEqual({ ok: true, value: 150 });
    expect(await check(new FloatField(), "abc")).toEqual(err("A valid number is required."));
  });
  it("DecimalField is exact and DRF-worded", async () => {
    const f = () => new DecimalField({ maxDigits: 10, decimalPlaces: 2 });
    expect(await check(f(), "12.5")).toEqual({ ok: true, value: "12.50" });
    expect(await check(f(), 12.5)).toEqual({ ok: true, value: "12.50" });
    expect(await check(f(), "12345678901")).toEqual(
      err("Ensure that there are no more than 10 digits in total."),
    );
    expect(await check(f(), "1.234")).toEqual(err("Ensure that there are no more than 2 decimal places."));
    expect(await check(f(), "123456789.1")).toEqual(
      err("Ensure that there are no more than 8 digits before the decimal point."),
    );
    expect(await check(f(), "abc")).toEqual(err("A valid number is required."));
    expect(await check(f(), 0.1 + 0.2)).toEqual(
      err("Ensure that there are no more than 10 digits in total."),
    );
    expect(await check(new DecimalField({ maxDigits: 5, decimalPlaces: 2, minValue: "0" }), "-0.01")).toEqual(
      err("Ensure this value is greater than or equal to 0."),
    );
    expect(await render(f(), "3")).toBe("3.00");
    expect(await render(f(), "2.675")).toBe("2.68");
    expect(
      await render(new DecimalField({ maxDigits: 10, decimalPlaces: 2, coerceToString: false }), "2.5"),
    ).toBe(2.5);
  });
});

describe("dates and times", () => {
  it("DateTimeField renders UTC with Z and parses ISO 8601", async () => {
    expect(await render(new DateTimeField(), new Date("2026-01-08T00:10:00Z"))).toBe("2026-01-08T00:10:00Z");
    expect(await render(new DateTimeField(), new Date("2026-01-08T00:10:00.123Z"))).toBe(
      "2026-01-08T00:10:00.123000Z",
    );
    const r = await check(new DateTimeField(), "2026-01-08T02:10:00+02:00");
    expect(r.ok && (r.value as Date).toISOString()).toBe("2026-01-08T00:10:00.000Z");
    expect(await check(new DateTimeField(), "2026-01-08")).toEqual(
      err("Expected a datetime but got a date."),
    );
    expect(await check(new DateTimeField(), "yesterday")).toEqual(
      err(
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
      ),
    );
  });
  it("DateField, TimeField, DurationField", async () => {
    expect(await check(new DateField(), "2026-02-28")).toEqual({ ok: true, value: "2026-02-28" });
    expect(await check(new DateField(), "2026-02-30")).toEqual(
      err("Date has wrong format. Use one of these formats instead: YYYY-MM-DD."),
    );
    expect(await check(new TimeField(), "9:05")).toEqual({ ok: true, value: "09:05:00" });
    expect(await check(new TimeField(), "25:00")).toEqual(
      err("Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."),
    );
    expect(await check(new DurationField(), "1 02:03:04")).toEqual({ ok: true, value: 93_784_000 });
    expect(await check(new DurationField(), "P1DT2H")).toEqual({ ok: true, value: 93_600_000 });
    expect(await check(new DurationField(), "soon")).toEqual(
      err("Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu]."),
    );
    expect(await render(new DurationField(), 93_784_000)).toBe("1 02:03:04");
    expect(await render(new DurationField(), 1500)).toBe("00:00:01.500000");
  });
});

describe("choices", () => {
  it("ChoiceField and MultipleChoiceField", async () => {
    const statuses = [
      ["pending", "Pending"],
      ["completed", "Completed"],
    ] as const;
    expect(await check(new ChoiceField({ choices: statuses }), "pending")).toEqual({
      ok: true,
      value: "pending",
    });
    expect(await check(new ChoiceField({ choices: statuses }), "lost")).toEqual(
      err('"lost" is not a valid choice.'),
    );
    expect(await check(new ChoiceField({ choices: [1, 2] }), "2")).toEqual({ ok: true, value: 2 });
    expect(await check(new MultipleChoiceField({ choices: ["a", "b"] }), ["a", "a", "b"])).toEqual({
      ok: true,
      value: ["a", "b"],
    });
    expect(await check(new MultipleChoiceField({ choices: ["a"] }), "a")).toEqual(
      err('Expected a list of items but got type "str".'),
    );
    expect(await check(new MultipleChoiceField({ choices: ["a"], allowEmpty: false }), [])).toEqual(
      err("This selection may not be empty."),
    );
  });
});

describe("composite fields", () => {
  it("ListField keys child errors by index", async () => {
    const tags = () => new ListField({ child: new CharField({ maxLength: 5 }) });
    expect(await check(tags(), ["a", "b"])).toEqual({ ok: true, value: ["a", "b"] });
    expect(await check(tags(), ["a", "toolong", "b", ""])).toEqual({
      ok: false,
      errors: {
        f: {
          "1": ["Ensure this field has no more than 5 characters."],
          "3": ["This field may not be blank."],
        },
      },
    });
    expect(await check(tags(), "a")).toEqual(err('Expected a list of items but got type "str".'));
    expect(await check(new ListField({ child: new IntegerField(), allowEmpty: false }), [])).toEqual(
      err("This list may not be empty."),
    );
    expect(await check(new ListField({ child: new IntegerField(), maxLength: 1 }), [1, 2])).toEqual(
      err("Ensure this field has no more than 1 elements."),
    );
    expect(await check(new ListField({ child: new IntegerField(), minLength: 2 }), [1])).toEqual(
      err("Ensure this field has at least 2 elements."),
    );
    expect(await render(tags(), ["x"])).toEqual(["x"]);
  });
  it("DictField and JSONField", async () => {
    expect(await check(new DictField(), [1])).toEqual(
      err('Expected a dictionary of items but got type "list".'),
    );
    expect(await check(new DictField({ child: new IntegerField() }), { a: "1", b: "x" })).toEqual({
      ok: false,
      errors: { f: { b: ["A valid integer is required."] } },
    });
    expect(await check(new DictField({ child: new IntegerField() }), { a: "1" })).toEqual({
      ok: true,
      value: { a: 1 },
    });
    expect(await check(new JSONField(), { a: [1, null] })).toEqual({ ok: true, value: { a: [1, null] } });
    // DRF's default child (_UnvalidatedField) takes any value, null included.
    expect(await check(new DictField(), { k: null, n: 1 })).toEqual({ ok: true, value: { k: null, n: 1 } });
    expect(await check(new DictField({ child: new IntegerField() }), { k: null })).toEqual({
      ok: false,
      errors: { f: { k: ["This field may not be null."] } },
    });
  });
});

describe("files", () => {
  it("FileField and ImageField check uploads and render URLs", async () => {
    const png = { name: "a.png", size: 4, bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
    expect(await check(new ImageField(), png)).toEqual({ ok: true, value: png });
    expect(
      await check(new ImageField(), { name: "a.txt", size: 3, bytes: new Uint8Array([1, 2, 3]) }),
    ).toEqual(
      err("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    );
    expect(await check(new FileField(), "x")).toEqual(
      err("The submitted data was not a file. Check the encoding type on the form."),
    );
    expect(await check(new FileField(), { name: "e.txt", size: 0 })).toEqual(
      err("The submitted file is empty."),
    );
    expect(await check(new FileField(), undefined)).toEqual(err("No file was submitted."));
    const storage = { url: (n: string) => `/media/${n}` };
    expect(await render(new FileField({ storage }), "products/a.png")).toBe("/media/products/a.png");
    expect(await render(new FileField({ storage }), "")).toBe(null);
  });
});

describe("date formats", () => {
  it("inputFormats and format (strptime/strftime patterns), DRF's humanized message", async () => {
    const f = () =>
      new DateTimeField({ inputFormats: ["%d/%m/%Y %H:%M", "iso-8601"], format: "%Y/%m/%d %H:%M" });
    const r = await check(f(), "08/01/2026 00:10");
    expect(r.ok && (r.value as Date).toISOString()).toBe("2026-01-08T00:10:00.000Z");
    expect(await check(f(), "2026-01-08T00:10:00Z")).toEqual({
      ok: true,
      value: new Date("2026-01-08T00:10:00Z"),
    });
    expect(await check(f(), "soon")).toEqual(
      err(
        "Datetime has wrong format. Use one of these formats instead: DD/MM/YYYY hh:mm, YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
      ),
    );
    expect(await render(f(), new Date("2026-01-08T00:10:00Z"))).toBe("2026/01/08 00:10");
    const d = () => new DateField({ inputFormats: ["%d.%m.%Y"], format: "%d.%m.%Y" });
    expect(await check(d(), "31.12.2026")).toEqual({ ok: true, value: "2026-12-31" });
    expect(await check(d(), "2026-12-31")).toEqual(
      err("Date has wrong format. Use one of these formats instead: DD.MM.YYYY."),
    );
    expect(await render(d(), "2026-12-31")).toBe("31.12.2026");
  });
});

describe("DictField with a nested serializer child", () => {
  it("validates and renders each value through the child", async () => {
    class Point extends Serializer.of({
      x: new IntegerField(),
      label: new SerializerMethodField(v.string()),
    }) {
      async get_label(p: { x: number }) {
        return `x=${p.x}`;
      }
    }
    const S = Serializer.of({ points: new DictField({ child: new Point() }) });
    const s = new S({ data: { points: { a: { x: "1" }, b: { x: "no" } } } });
    await s.isValid();
    expect(s.errors).toEqual({ points: { b: { x: ["A valid integer is required."] } } });
    expect(await new S({ instance: { points: { a: { x: 1 } } } }).data).toEqual({
      points: { a: { x: 1, label: "x=1" } },
    });
  });
});
