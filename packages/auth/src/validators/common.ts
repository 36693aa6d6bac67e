import { readFileSync } from "node:fs";
import { PasswordValidationError, type PasswordValidator } from "./password-validator.js";

// The list lives at the package root (data/), reachable the same way from src/ and dist/.
const DEFAULT_LIST = new URL("../../data/common-passwords.txt", import.meta.url);

const cache = new Map<string, ReadonlySet<string>>();

function loadList(path: string | URL): ReadonlySet<string> {
  const key = String(path);
  let set = cache.get(key);
  if (!set) {
    const text = readFileSync(path, "utf8");
    set = new Set(
      text
        .split("\n")
        .map((line) => line.trim().toLowerCase())
        .filter((line) => line !== ""),
    );
    cache.set(key, set);
  }
  return set;
}

/**
 * Django's CommonPasswordValidator: rejects the 20,000 most common passwords
 * (the list ships with this package; pass `passwordListPath` for another one).
 * The list is read once, when the validator is created.
 */
export class CommonPasswordValidator implements PasswordValidator {
  private readonly passwords: ReadonlySet<string>;
  constructor(options: { passwordListPath?: string | URL } = {}) {
    this.passwords = loadList(options.passwordListPath ?? DEFAULT_LIST);
  }
  validate(password: string): void {
    if (this.passwords.has(password.toLowerCase().trim())) {
      throw new PasswordValidationError([
        { message: "This password is too common.", code: "password_too_common" },
      ]);
    }
  }
  helpText(): string {
    return "Your password can’t be a commonly used password.";
  }
}
