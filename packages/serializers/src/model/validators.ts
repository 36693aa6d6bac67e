// UniqueValidator and UniqueTogetherValidator (DRF's messages), and model field validators
// adapted to DRF's ValidationError.
import { ValidationError } from "../errors.js";
import type { ValidatorContext } from "../fields/field.js";
import { valueExists } from "../relations/batch.js";
import type { ModelQuerySet } from "./model-types.js";

const pkOf = (x: unknown): unknown => (x as { pk?: unknown } | null)?.pk;

/** DRF's UniqueValidator: `<model> with this <field> already exists.` */
export class UniqueValidator {
  constructor(
    readonly options: {
      // biome-ignore lint/suspicious/noExplicitAny: a queryset of any model
      queryset: ModelQuerySet<any>;
      /** the model field looked up (the serializer field's source) */
      field: string;
      message?: string;
      lookup?: string;
    },
  ) {}

  async validate(value: unknown, ctx: ValidatorContext): Promise<void> {
    const { queryset, field, lookup = "exact" } = this.options;
    if (value == null) return; // NULLs never collide (as in the database)
    if (
      ctx.instance == null &&
      lookup === "exact" &&
      (typeof value === "string" || typeof value === "number")
    ) {
      // creating: no row to exclude, so the check joins its tick's batch (one query for a list)
      if (await valueExists(ctx.context, queryset, field, value))
        throw new ValidationError(this.options.message ?? "This field must be unique.", "unique");
      return;
    }
    let qs = queryset.filter({ [lookup === "exact" ? field : `${field}__${lookup}`]: value });
    const pk = pkOf(ctx.instance);
    if (ctx.instance != null && pk != null) qs = qs.exclude({ pk });
    if (await qs.exists())
      throw new ValidationError(this.options.message ?? "This field must be unique.", "unique");
  }
}

/** DRF's UniqueTogetherValidator: `The fields a, b must make a unique set.` (a non-field error). */
export class UniqueTogetherValidator {
  constructor(
    readonly options: {
      // biome-ignore lint/suspicious/noExplicitAny: a queryset of any model
      queryset: ModelQuerySet<any>;
      fields: readonly string[];
      message?: string;
    },
  ) {}

  get message(): string {
    return this.options.message ?? `The fields ${this.options.fields.join(", ")} must make a unique set.`;
  }

  async validate(attrs: Record<string, unknown>, ctx: ValidatorContext): Promise<void> {
    const { queryset, fields } = this.options;
    const instance = ctx.instance as Record<string, unknown> | null;
    const values: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const f of fields) {
      if (f in attrs) values[f] = attrs[f];
      else if (instance) values[f] = instance[`${f}_id`] ?? instance[f];
      else missing.push(f);
    }
    // DRF makes the fields required on create
    if (missing.length) {
      throw new ValidationError(
        Object.fromEntries(missing.map((f) => [f, "This field is required."])),
        "required",
      );
    }
    if (Object.values(values).some((x) => x == null)) return;
    let qs = queryset.filter(values);
    const pk = pkOf(instance);
    if (instance && pk != null) qs = qs.exclude({ pk });
    if (await qs.exists()) throw new ValidationError(this.message, "unique");
  }
}

interface DjangoValidationErrorLike {
  errorList: readonly { message: string; code?: string | undefined }[];
}

const isDjangoError = (e: unknown): e is DjangoValidationErrorLike =>
  e instanceof Error &&
  e.name === "ValidationError" &&
  Array.isArray((e as { errorList?: unknown }).errorList);

/** A model field validator (throws @x/models' ValidationError) as a serializer validator. */
export function adaptModelValidator(fn: (value: unknown) => unknown) {
  return async (value: unknown): Promise<void> => {
    try {
      await fn(value);
    } catch (e) {
      if (!isDjangoError(e)) throw e;
      const list = e.errorList;
      throw ValidationError.fromTree(
        list.map((m) => m.message),
        list.map((m) => m.code ?? "invalid"),
      );
    }
  };
}
