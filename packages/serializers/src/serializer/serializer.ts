// Serializer: a BaseSerializer whose fields are declared in a map; `Serializer.of({...})` infers
// `data` and `validatedData` from them.
import { BaseSerializer } from "./base.js";
import type { FieldMap, ReadShape, WriteShape } from "./types.js";

export class Serializer<
  R = Record<string, unknown>,
  W = Record<string, unknown>,
  I = unknown,
> extends BaseSerializer<R, W, I> {
  /**
   * A serializer class with these declared fields; subclass it to add hooks:
   * `class ProductSerializer extends Serializer.of({ name: new CharField({ maxLength: 200 }) }) { ... }`
   */
  static of<const F extends FieldMap, I = unknown>(
    fields: F,
  ): typeof Serializer<ReadShape<F>, WriteShape<F>, I> {
    return class extends Serializer<ReadShape<F>, WriteShape<F>, I> {
      static override declaredFields: FieldMap = fields;
    };
  }
}
