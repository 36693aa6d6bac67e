// FieldMeta → serializer field (DRF's ModelSerializer.build_field + get_field_kwargs).
import { getStorage } from "@x/models";
import { BooleanField } from "../fields/boolean.js";
import { CharField, EmailField, SlugField, URLField, UUIDField } from "../fields/char.js";
import { ChoiceField } from "../fields/choice.js";
import { JSONField, ListField } from "../fields/composite.js";
import type { FieldOptions } from "../fields/field.js";
import { FileField, type FileStorage, ImageField } from "../fields/file.js";
import { DecimalField, FloatField, IntegerField } from "../fields/numbers.js";
import { DateField, DateTimeField, DurationField, TimeField } from "../fields/temporal.js";
import { PrimaryKeyRelatedField } from "../relations/fields.js";
import type { AnyField } from "../serializer/types.js";
import type { FieldMetaLike, ModelLike } from "./model-types.js";
import { adaptModelValidator, UniqueValidator } from "./validators.js";

/** @x/models' configured storage, looked up when a URL is rendered (it may be configured after import). */
const DEFAULT_STORAGE: FileStorage = { url: (name) => getStorage().url(name) };

// Checks the serializer field already makes (Django adds them to the model field implicitly).
const IMPLICIT_VALIDATORS = new Set([
  "DecimalValidator",
  "MaxLengthValidator",
  "EmailValidator",
  "URLValidator",
  "ProhibitNullCharactersValidator",
  "IPAddressValidator",
]);

const INTEGER_RANGES: Record<string, [number, number]> = {
  SmallIntegerField: [-32768, 32767],
  IntegerField: [-2147483648, 2147483647],
  BigIntegerField: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  PositiveSmallIntegerField: [0, 32767],
  PositiveIntegerField: [0, 2147483647],
  PositiveBigIntegerField: [0, Number.MAX_SAFE_INTEGER],
};

/** DRF's get_field_kwargs: required/null/blank/readOnly/validators from the model field. */
export function modelFieldKwargs(model: ModelLike, meta: FieldMetaLike): Record<string, unknown> {
  const kw: Record<string, unknown> = {};
  if (meta.helpText) kw.helpText = meta.helpText;
  const auto = meta.type === "AutoField" || meta.type === "BigAutoField" || meta.type === "SmallAutoField";
  if (auto || !meta.editable || meta.autoNow || meta.autoNowAdd) {
    kw.readOnly = true;
    return kw;
  }
  if (meta.hasDefault || meta.blank || meta.null) kw.required = false;
  if (meta.null && !meta.manyToMany) kw.allowNull = true;
  if (meta.blank && (isText(meta.type) || meta.choices)) kw.allowBlank = true;
  const validators: unknown[] = [];
  for (const v of meta.validators) {
    const name = (v as { meta?: { name?: string } }).meta?.name;
    if (name && IMPLICIT_VALIDATORS.has(name)) continue;
    if (name === "RegexValidator" && meta.type === "SlugField") continue;
    validators.push(adaptModelValidator(v));
  }
  if (meta.unique) {
    validators.push(
      new UniqueValidator({
        queryset: model.objects,
        field: meta.name,
        message:
          meta.errorMessages?.unique ??
          `${model.meta.verboseName} with this ${meta.verboseName} already exists.`,
      }),
    );
  }
  if (validators.length) kw.validators = validators;
  return kw;
}

function isText(type: string): boolean {
  return ["CharField", "TextField", "SlugField", "EmailField", "URLField"].includes(type);
}

/** The serializer field for a concrete or many-to-many model field. */
export function buildModelField(
  model: ModelLike,
  meta: FieldMetaLike,
  extra: Record<string, unknown>,
): AnyField {
  const kw = { ...modelFieldKwargs(model, meta), ...extra } as FieldOptions & Record<string, unknown>;
  if (kw.readOnly) {
    delete kw.required;
    delete kw.validators;
  }
  if (meta.choices && !meta.isRelation) return new ChoiceField({ ...kw, choices: meta.choices });
  const text = { ...kw, ...(meta.maxLength !== undefined ? { maxLength: meta.maxLength } : {}) };
  delete (kw as { allowBlank?: unknown }).allowBlank;
  switch (meta.type) {
    case "AutoField":
    case "BigAutoField":
    case "SmallAutoField":
      return new IntegerField(kw);
    case "SmallIntegerField":
    case "IntegerField":
    case "BigIntegerField":
    case "PositiveSmallIntegerField":
    case "PositiveIntegerField":
    case "PositiveBigIntegerField": {
      const [minValue, maxValue] = INTEGER_RANGES[meta.type]!;
      return new IntegerField({ minValue, maxValue, ...kw });
    }
    case "FloatField":
      return new FloatField(kw);
    case "DecimalField":
      return new DecimalField({
        maxDigits: meta.maxDigits ?? null,
        decimalPlaces: meta.decimalPlaces ?? null,
        ...kw,
      });
    case "BooleanField":
      return new BooleanField(kw);
    case "CharField":
    case "TextField":
      return new CharField(text);
    case "SlugField":
      return new SlugField(text);
    case "EmailField":
      return new EmailField(text);
    case "URLField":
      return new URLField(text);
    case "UUIDField":
      return new UUIDField(kw);
    case "DateField":
      return new DateField(kw);
    case "DateTimeField":
      return new DateTimeField(kw);
    case "TimeField":
      return new TimeField(kw);
    case "DurationField":
      return new DurationField(kw);
    case "JSONField":
      return new JSONField(kw);
    case "ArrayField": {
      const base = meta.baseField;
      const child = base
        ? buildModelField(model, { ...base, unique: false, null: false, blank: false }, {})
        : new JSONField();
      return new ListField({ ...kw, child });
    }
    case "FileField":
      return new FileField({ ...kw, maxLength: meta.maxLength, storage: DEFAULT_STORAGE });
    case "ImageField":
      return new ImageField({ ...kw, maxLength: meta.maxLength, storage: DEFAULT_STORAGE });
    case "ForeignKey":
    case "OneToOneField":
    case "ManyToManyField": {
      const related = meta.relatedModel!();
      const many = meta.manyToMany;
      if (many) delete kw.allowNull;
      return new PrimaryKeyRelatedField({
        ...(kw.readOnly ? {} : { queryset: related.objects }),
        ...kw,
        many,
      });
    }
    default:
      return new JSONField(kw);
  }
}
