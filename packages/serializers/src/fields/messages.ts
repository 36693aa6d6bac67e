// valibot issue → DRF error (message + code). Our own checks carry the code in `expected`;
// valibot's built-in actions are named like DRF's codes already.
import * as v from "valibot";
import { ValidationError } from "../errors.js";

const CODE_BY_TYPE: Record<string, string> = {
  max_length: "max_length",
  min_length: "min_length",
  max_value: "max_value",
  min_value: "min_value",
  regex: "invalid",
  email: "invalid",
  url: "invalid",
  uuid: "invalid",
  ip: "invalid",
};

const CODE_PREFIX = "drf:";

function issueCode(issue: v.BaseIssue<unknown>): string {
  const e = issue.expected;
  if (e?.startsWith(CODE_PREFIX)) return e.slice(CODE_PREFIX.length);
  return CODE_BY_TYPE[issue.type] ?? "invalid";
}

// A transform that throws a structured ValidationError (a list child's `{"1": [...]}`) parks it
// here; parsing is synchronous, so the slot is read right after the safeParse that set it.
let carried: ValidationError | null = null;

const RUN_CONFIG: v.Config<v.BaseIssue<unknown>> = Object.freeze({
  abortEarly: false,
  abortPipeEarly: false,
});

/** Run a field's compiled schema: its output, or DRF's error. */
export function runSchema<T>(schema: v.GenericSchema<unknown, T>, data: unknown): T {
  carried = null;
  // valibot's ~run directly: safeParse would allocate a config and a result per call
  const r = schema["~run"]({ value: data }, RUN_CONFIG);
  if (!r.issues) return r.value as T;
  if (carried) {
    const e: ValidationError = carried;
    carried = null;
    return throwError(e);
  }
  return throwError(
    ValidationError.fromTree(
      r.issues.map((i: v.BaseIssue<unknown>) => i.message),
      r.issues.map(issueCode),
    ),
  );
}

function throwError(e: ValidationError): never {
  throw e;
}

/**
 * A parsing step written as DRF code (throwing ValidationError), as a valibot transformation
 * action. Written against valibot's action interface directly: rawTransform would allocate a
 * context object and closures on every call.
 */
export function parseStep<I, O>(fn: (value: I) => O): v.BaseTransformation<I, O, v.BaseIssue<unknown>> {
  return {
    kind: "transformation",
    type: "drf_parse",
    reference: parseStep as never,
    async: false,
    "~run"(dataset, config) {
      try {
        (dataset as { value: unknown }).value = fn(dataset.value);
        return dataset as unknown as v.OutputDataset<O, v.BaseIssue<unknown>>;
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const flat = Array.isArray(e.detail) && e.detail.every((x) => typeof x === "string");
        if (!flat) carried = e;
        const msgs = flat ? (e.detail as string[]) : [e.message];
        const codes = flat ? (e.codes as string[]) : ["invalid"];
        msgs.forEach((message, i) => {
          v._addIssue(this, "input", dataset, config, {
            message,
            expected: CODE_PREFIX + (codes[i] ?? "invalid"),
          });
        });
        (dataset as { typed: boolean }).typed = false;
        return dataset as unknown as v.OutputDataset<O, v.BaseIssue<unknown>>;
      }
    },
  };
}

/** A DRF validator (message + code) as a valibot validation action. */
/** Like checkStep, for a message that depends on the value: `check` returns the message, or null when valid. */
export function messageStep<T>(
  code: string,
  check: (value: T) => string | null,
): v.BaseValidation<T, T, v.BaseIssue<unknown>> {
  return {
    kind: "validation",
    type: "drf_check",
    reference: messageStep as never,
    async: false,
    expects: CODE_PREFIX + code,
    "~run"(dataset, config) {
      if (!dataset.typed) return dataset;
      const message = check(dataset.value);
      if (message !== null) v._addIssue(this, "input", dataset, config, { message });
      return dataset;
    },
  };
}

export function checkStep<T>(
  code: string,
  message: string,
  ok: (value: T) => boolean,
): v.BaseValidation<T, T, v.BaseIssue<unknown>> {
  return {
    kind: "validation",
    type: "drf_check",
    reference: checkStep as never,
    async: false,
    expects: CODE_PREFIX + code,
    message,
    "~run"(dataset, config) {
      if (dataset.typed && !ok(dataset.value)) v._addIssue(this, "input", dataset, config, { message });
      return dataset;
    },
  } as v.BaseValidation<T, T, v.BaseIssue<unknown>>;
}

/** A field's schema: unknown → parse step → checks on the parsed value (any number of them). */
export function fieldSchema<T, U = T>(
  parse: v.BaseTransformation<unknown, T, v.BaseIssue<unknown>>,
  checks: readonly v.PipeItem<T, T, v.BaseIssue<unknown>>[] = [],
  finish?: v.TransformAction<T, U>,
): v.GenericSchema<unknown, U> {
  const items: unknown[] = [v.unknown(), parse, ...checks];
  if (finish) items.push(finish);
  // biome-ignore lint/suspicious/noExplicitAny: valibot's pipe() is typed for literal tuples; this list is built of same-typed checks
  return (v.pipe as unknown as (...items: any[]) => v.GenericSchema<unknown, U>)(...items);
}
