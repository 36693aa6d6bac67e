import { describe, expect, it } from "vitest";
import {
  CommonPasswordValidator,
  MinimumLengthValidator,
  NumericPasswordValidator,
  PasswordValidationError,
  passwordValidatorsHelpTexts,
  UserAttributeSimilarityValidator,
  validatePassword,
} from "../src/index.js";

function problems(fn: () => void): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PasswordValidationError) return e.messages;
    throw e;
  }
  return [];
}

describe("password validators", () => {
  const all = [
    new UserAttributeSimilarityValidator(),
    new MinimumLengthValidator(),
    new CommonPasswordValidator(),
    new NumericPasswordValidator(),
  ];

  it("reports every problem with Django's messages", () => {
    expect(problems(() => validatePassword("1234567", { username: "ann" }, all))).toEqual([
      "This password is too short. It must contain at least 8 characters.",
      "This password is too common.",
      "This password is entirely numeric.",
    ]);
    expect(problems(() => validatePassword("correct horse battery", { username: "ann" }, all))).toEqual([]);
  });

  it("minimum length counts characters and speaks Django's singular", () => {
    expect(problems(() => new MinimumLengthValidator({ minLength: 1 }).validate(""))).toEqual([
      "This password is too short. It must contain at least 1 character.",
    ]);
    expect(problems(() => new MinimumLengthValidator({ minLength: 3 }).validate("äöü"))).toEqual([]);
  });

  it("common passwords come from the shipped list, ignoring case and surrounding spaces", () => {
    const v = new CommonPasswordValidator();
    for (const p of ["password", "PassWord", " qwerty ", "letmein", "dragon"]) {
      expect(problems(() => v.validate(p))).toEqual(["This password is too common."]);
    }
    expect(problems(() => v.validate("x7#Vq-mountain-ledger"))).toEqual([]);
  });

  it("similarity to the user's attributes", () => {
    const v = new UserAttributeSimilarityValidator();
    const user = {
      username: "testclient",
      first_name: "Test",
      last_name: "Client",
      email: "testclient@example.com",
    };
    expect(problems(() => v.validate("testclient", user))).toEqual([
      "The password is too similar to the username.",
    ]);
    expect(problems(() => v.validate("example", user))).toEqual([
      "The password is too similar to the email address.",
    ]);
    expect(problems(() => v.validate("tEsTcLiEnT99", { first_name: "testclient" }))).toEqual([
      "The password is too similar to the first name.",
    ]);
    expect(problems(() => v.validate("a-quite-different-secret", user))).toEqual([]);
    // A short attribute does not make a long password "similar".
    expect(
      problems(() => v.validate("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { username: "a" })),
    ).toEqual([]);
  });

  it("has help texts", () => {
    expect(passwordValidatorsHelpTexts(all)).toContain("Your password must contain at least 8 characters.");
  });
});
