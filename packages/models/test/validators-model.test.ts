// Validators on model fields: fullClean reports them under the field, with Django's messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CharField,
  createTestDatabase,
  DecimalField,
  defineModel,
  MaxValueValidator,
  MinLengthValidator,
  MinValueValidator,
  RegexValidator,
  type TestDatabase,
  ValidationError,
} from "../src/index.js";

function notAdmin(value: unknown): void {
  if (value === "admin") throw new ValidationError("That name is reserved.", { code: "reserved" });
}

const Coupon = defineModel("vmodel.Coupon", {
  fields: {
    name: CharField({ maxLength: 20, validators: [MinLengthValidator(3), notAdmin] }),
    code: CharField({
      maxLength: 8,
      validators: [RegexValidator("^[A-Z]{3}-\\d{4}$", { message: "Use ABC-1234." })],
    }),
    discount: DecimalField({
      maxDigits: 5,
      decimalPlaces: 2,
      validators: [MinValueValidator("0.01"), MaxValueValidator(100)],
    }),
  },
});

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ models: [Coupon] });
});
afterAll(async () => {
  await tdb.close();
});

describe("field validators in fullClean", () => {
  it("collects each field's validator errors with Django's messages", async () => {
    const bad = new Coupon({ name: "ab", code: "abc", discount: "100.01" });
    const error = await bad.fullClean().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).messageDict).toEqual({
      name: ["Ensure this value has at least 3 characters (it has 2)."],
      code: ["Use ABC-1234."],
      discount: ["Ensure this value is less than or equal to 100."],
    });
    const reserved = await new Coupon({ name: "admin", code: "ABC-1234", discount: "0.00" })
      .fullClean()
      .catch((e: unknown) => e);
    expect((reserved as ValidationError).messageDict).toEqual({
      name: ["That name is reserved."],
      discount: ["Ensure this value is greater than or equal to 0.01."],
    });
    await expect(
      new Coupon({ name: "spring", code: "ABC-1234", discount: "12.50" }).fullClean(),
    ).resolves.toBeUndefined();
  });
});
