// The shapes this package reads from @x/models and @x/views, stated structurally so a filter can be
// declared against any QuerySet type (a model's QuerySet<M> satisfies QuerySetLike).

/** Query-string access: URLSearchParams and @x/views' `request.queryParams` both satisfy it. */
export interface QueryData {
  getAll(name: string): string[];
}

/** The QuerySet operations filtering uses; every method returns a new QuerySet of the same type. */
export interface QuerySetLike {
  filter(...conditions: never[]): unknown;
  exclude(...conditions: never[]): unknown;
  orderBy(...fields: never[]): unknown;
  distinct(...fields: never[]): unknown;
}

/** What filters read of a model field (a subset of @x/models' FieldMeta). */
export interface FieldLike {
  readonly name: string;
  readonly type: string;
  readonly choices?: ReadonlyArray<readonly [unknown, unknown]> | null | undefined;
  readonly primaryKey?: boolean | undefined;
  readonly null?: boolean | undefined;
  readonly helpText?: string | null | undefined;
  readonly verboseName?: string | null | undefined;
  readonly manyToMany?: boolean | undefined;
  readonly isRelation?: boolean | undefined;
  relatedModel?(): ModelLike;
}

/** What filters read of a model class (a subset of @x/models' model class). */
export interface ModelLike {
  readonly meta: {
    readonly label: string;
    readonly pk: FieldLike;
    readonly fields: readonly FieldLike[];
    readonly manyToMany?: readonly FieldLike[] | undefined;
    readonly relatedObjects?: readonly unknown[] | undefined;
    getField(name: string): FieldLike;
  };
}

/** An OpenAPI 3 query parameter (the same shape as @x/views' SchemaParameter). */
export interface SchemaParameter {
  name: string;
  in: "query";
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
  style?: "form";
  explode?: boolean;
}
