import { ValidationError as DjangoValidationError } from "@x/models";
import { describe, expect, it } from "vitest";
import { CharField, IntegerField, Serializer, ValidationError } from "../src/index.js";

describe("ValidationError", () => {
  it("takes a string, a list or a dict, each message with a code", () => {
    const s = new ValidationError("Bad.");
    expect(s.detail).toEqual(["Bad."]);
    expect(s.getCodes()).toEqual(["invalid"]);
    const l = new ValidationError(["a", "b"], "nope");
    expect(l.detail).toEqual(["a", "b"]);
    expect(l.getCodes()).toEqual(["nope", "nope"]);
    const d = new ValidationError({ price: "Too high", tags: { "1": ["Too long"] } }, "limit");
    expect(d.detail).toEqual({ price: ["Too high"], tags: { "1": ["Too long"] } });
    expect(d.getCodes()).toEqual({ price: ["limit"], tags: { "1": ["limit"] } });
    expect(d.statusCode).toBe(400);
  });

  it("Django's ValidationError raised in hooks becomes DRF-shaped", async () => {
    class S extends Serializer.of({ name: new CharField(), qty: new IntegerField() }) {
      validate_name(value: string) {
        if (value === "x") throw new DjangoValidationError("No x.", { code: "no_x" });
        return value;
      }
      override validate(attrs: this["validatedData"]) {
        if (attrs.qty > 5) throw new DjangoValidationError({ qty: "At most 5.", __all__: "Too many." });
        return attrs;
      }
    }
    const a = new S({ data: { name: "x", qty: 1 } });
    const e = (await a.isValid({ raiseException: true }).catch((x: unknown) => x)) as ValidationError;
    expect(e.detail).toEqual({ name: ["No x."] });
    expect(e.getCodes()).toEqual({ name: ["no_x"] });
    const b = new S({ data: { name: "y", qty: 9 } });
    await b.isValid();
    expect(b.errors).toEqual({ qty: ["At most 5."], non_field_errors: ["Too many."] });
  });

  it("toInternalValue can be overridden and its errors are DRF-shaped", async () => {
    class S extends Serializer.of({ name: new CharField() }) {
      override toInternalValue(data: unknown, state: Parameters<Serializer["toInternalValue"]>[1]) {
        // accept {"title": ...} as an alias
        const d = data as Record<string, unknown>;
        return super.toInternalValue({ name: d.name ?? d.title }, state);
      }
    }
    const s = new S({ data: { title: "T" } });
    expect(await s.isValid()).toBe(true);
    expect(s.validatedData).toEqual({ name: "T" });
  });

  it("isValid before data, errors before isValid, save with errors are programming errors", async () => {
    class S extends Serializer.of({ name: new CharField() }) {}
    await expect(new S({ instance: {} }).isValid()).rejects.toThrow("no `data` option");
    expect(() => new S({ data: {} }).errors).toThrow("You must call `.isValid()`");
    const bad = new S({ data: {} });
    await bad.isValid();
    await expect(bad.save()).rejects.toThrow("invalid data");
  });
});
