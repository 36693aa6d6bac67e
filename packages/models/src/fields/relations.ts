// ForeignKey, OneToOneField and ManyToManyField constructors.
import type { AnyModel } from "../model/types.js";
import { buildSpec } from "./build.js";
import type { Choice, ManyToManyRelField, OnDelete, RelationField, Validator } from "./types.js";

export interface ForeignKeyOptions {
  onDelete: OnDelete;
  relatedName?: string;
  null?: boolean;
  blank?: boolean;
  default?: unknown;
  unique?: boolean;
  dbIndex?: boolean;
  dbColumn?: string;
  choices?: readonly Choice[];
  validators?: readonly Validator[];
  helpText?: string;
  verboseName?: string;
  editable?: boolean;
  primaryKey?: boolean;
}

/** A reference to the target: a thunk (typed), "self", or an "app.Model" label (resolved lazily, untyped). */
export type ModelRef<T> = (() => T) | "self" | (string & {});

type Target<R> = R extends () => infer T ? T : R extends "self" ? "self" : unknown;
type Nul<O> = O extends { null: true } ? true : false;
type Opt<O> = O extends { null: true } ? true : O extends { default: unknown } ? true : false;

export function ForeignKey<R extends ModelRef<AnyModel>, const O extends ForeignKeyOptions>(
  to: R,
  options: O,
): RelationField<Target<R>, Nul<O>, Opt<O>> {
  return {
    relation: "fk",
    spec: buildSpec("ForeignKey", "relation", {
      dbIndex: true,
      ...options,
      target: to as (() => AnyModel) | string,
    }),
  };
}

export function OneToOneField<R extends ModelRef<AnyModel>, const O extends ForeignKeyOptions>(
  to: R,
  options: O,
): RelationField<Target<R>, Nul<O>, Opt<O>> {
  return {
    relation: "fk",
    spec: buildSpec("OneToOneField", "relation", {
      ...options,
      unique: true,
      target: to as (() => AnyModel) | string,
    }),
  };
}

export interface ManyToManyOptions {
  relatedName?: string;
  through?: (() => AnyModel) | string;
  blank?: boolean;
  helpText?: string;
  verboseName?: string;
  dbTable?: string;
}

export function ManyToManyField<R extends ModelRef<AnyModel>>(
  to: R,
  options: ManyToManyOptions = {},
): ManyToManyRelField<Target<R>> {
  const spec = buildSpec("ManyToManyField", "m2m", {
    ...options,
    target: to as (() => AnyModel) | string,
    throughTarget: options.through,
  });
  // an explicit join table name for the automatic through model
  (spec as { m2mDbTable?: string }).m2mDbTable = options.dbTable;
  return { relation: "m2m", spec };
}
