// Django's validators: plain functions throwing ValidationError with Django's messages and codes.
export type { Comparable } from "./compare-values.js";
export { DecimalValidator } from "./decimal-validator.js";
export { EmailValidator, type EmailValidatorOptions, validate_email } from "./email-validator.js";
export { FileExtensionValidator } from "./file-extension-validator.js";
export { interpolate } from "./interpolate.js";
export { validate_ipv4_address, validate_ipv6_address, validate_ipv46_address } from "./ip-validators.js";
export { MaxLengthValidator, MinLengthValidator, type Sized } from "./length-validators.js";
export {
  ProhibitNullCharactersValidator,
  RegexValidator,
  type RegexValidatorOptions,
  validate_comma_separated_integer_list,
  validate_slug,
  validate_unicode_slug,
} from "./regex-validator.js";
export { runValidators } from "./run-validators.js";
export type { BuiltinValidator, MessageOptions, ValidatorMeta } from "./types.js";
export { URLValidator, type URLValidatorOptions, validate_url } from "./url-validator.js";
export { MaxValueValidator, MinValueValidator, StepValueValidator } from "./value-validators.js";
