import { ValidationError } from "../errors.js";
import { interpolate } from "./interpolate.js";

/** Builds the ValidationError a validator throws: the message with its params applied, plus code and params. */
export function invalid(message: string, code: string, params: Record<string, unknown>): ValidationError {
  return new ValidationError(interpolate(message, params), { code, params });
}
