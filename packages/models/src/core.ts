// The public API of the model core (models-A); index.ts re-exports it.
import "./model/through.js";

export { assertNumQueries, type CapturedQuery, type CaptureResult, captureQueries } from "./db/capture.js";
export {
  type CreateDatabaseOptions,
  createDatabase,
  type Database,
  type ExecuteOptions,
  type QueryResult,
} from "./db/database.js";
export { closeDatabase, configureDatabase, getDatabase, routingScopeNeeded } from "./db/registry.js";
export {
  createReplicatedDatabase,
  type DatabaseRouter,
  ReplicatedDatabase,
  type ReplicatedDatabaseConfig,
} from "./db/replicas.js";
export { isReadOnlySql, pinToPrimary, routingScope, usingDatabase } from "./db/routing.js";
export { type DatabaseConfig, parseDatabaseUrl, type Vendor } from "./db/url.js";
export { columnType } from "./ddl/columns.js";
export {
  columnSql,
  constraintName,
  createModelSql,
  createTables,
  dropModelSql,
  dropTables,
  foreignKeySql,
  indexesSql,
  tableConstraintsSql,
  withThroughModels,
} from "./ddl/schema.js";
export {
  FieldError,
  ImproperlyConfigured,
  IntegrityError,
  MultipleObjectsReturned,
  NON_FIELD_ERRORS,
  NotSupportedError,
  ObjectDoesNotExist,
  OperationalError,
  ProtectedError,
  RestrictedError,
  ValidationError,
  type ValidationMessage,
} from "./errors.js";
export { type Choices, IntegerChoices, TextChoices } from "./fields/choices.js";
export { fromDb, toDb } from "./fields/convert.js";
export * from "./fields/relations.js";
export * from "./fields/scalar.js";
export {
  type AnyField,
  CASCADE,
  type Choice,
  DO_NOTHING,
  type Field,
  type FieldMeta,
  type Fields,
  type FieldType,
  type ManyToManyRelField,
  type OnDelete,
  PROTECT,
  RESTRICT,
  type RelationField,
  SET_DEFAULT,
  SET_NULL,
  type StorageKind,
} from "./fields/types.js";
export {
  type AbstractModel,
  type ChildClass,
  defineAbstract,
  defineChild,
  defineModel,
  defineProxy,
  type ModelClass,
  type ProxyClass,
  type QS,
} from "./model/define.js";
export { deleteInstance, type SaveInstanceOptions, saveInstance } from "./model/instance.js";
export { allModels, getModel } from "./model/registry.js";
export type { RelatedManager } from "./model/related-manager.js";
export type {
  AnyInstance,
  AnyModel,
  ConstraintSpec,
  CreateInput,
  FilterFor,
  FilterOf,
  IndexSpec,
  Instance,
  InstanceBase,
  InstanceOf,
  Lookup,
  MetaOptions,
  ModelMeta,
  OrderKey,
  ReverseRelation,
  RowOf,
  UpdateInput,
} from "./model/types.js";
export { LOOKUPS } from "./query/compiler.js";
export {
  Avg,
  Case,
  Coalesce,
  Count,
  Exists,
  Expression,
  F,
  Max,
  Min,
  nullsFirst,
  nullsLast,
  OrderBy,
  OuterRef,
  Subquery,
  Sum,
  Value,
  When,
} from "./query/expressions.js";
export { Concat, Length, Lower, Upper } from "./query/functions.js";
export { cachePrefetched, Prefetch, PrefetchObject, prefetchRelatedObjects } from "./query/prefetch.js";
export { Q, type QNode } from "./query/q.js";
export { QuerySet } from "./query/queryset.js";
export type { PrefetchSpec, QueryState, ValuesSpec } from "./query/state.js";
export {
  type DeleteSignalArgs,
  type M2MChangedArgs,
  m2mChanged,
  type PostSaveSignalArgs,
  postDelete,
  postSave,
  preDelete,
  preSave,
  receiver,
  type SaveSignalArgs,
  Signal,
} from "./signals.js";
export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
  testDatabaseVendor,
} from "./testing/test-database.js";
export { atomic, inAtomicBlock, onCommit } from "./transaction.js";
