// The QuerySet surface relation fields use (an @x/models QuerySet satisfies it).

/** A lazy, thenable query of model instances. */
export interface QuerySetLike<T = unknown> extends PromiseLike<T[]> {
  filter(kwargs: Record<string, unknown>): QuerySetLike<T>;
  /** The model class, for the pk field's type (integer pks reject non-numeric text as DRF does). */
  readonly model?:
    | { readonly meta?: { readonly pk?: { readonly type?: string; readonly name?: string } } }
    | undefined;
}

const INTEGER_PK = new Set([
  "AutoField",
  "BigAutoField",
  "SmallAutoField",
  "IntegerField",
  "BigIntegerField",
]);

/** Whether the queryset's model has an integer primary key (so "abc" is the wrong type). */
export function hasIntegerPk(qs: QuerySetLike | undefined): boolean {
  const type = qs?.model?.meta?.pk?.type;
  return type === undefined || INTEGER_PK.has(type);
}
