export const packageName = "@x/serializers";

export type { RequestLike, Resolve, Reverse, RunState, SerializerContext } from "./context.js";
export { type ErrorDetail, type ErrorInput, ValidationError } from "./errors.js";
export { BooleanField } from "./fields/boolean.js";
export {
  CharField,
  type CharFieldOptions,
  EmailField,
  IPAddressField,
  type IPAddressFieldOptions,
  RegexField,
  type RegexFieldOptions,
  SlugField,
  URLField,
  UUIDField,
  type UUIDFieldOptions,
} from "./fields/char.js";
export { ChoiceField, type ChoiceFieldOptions, type Choices, MultipleChoiceField } from "./fields/choice.js";
export {
  DictField,
  type DictFieldOptions,
  JSONField,
  type JsonValue,
  ListField,
  type ListFieldOptions,
} from "./fields/composite.js";
export { ContextDefault, CreateOnlyDefault, CurrentUserDefault, SKIP } from "./fields/defaults.js";
export {
  Field,
  type FieldOptions,
  type JsonSchema,
  type PlanPaths,
  type SchemaMode,
  type Validator,
  type ValidatorContext,
} from "./fields/field.js";
export {
  FileField,
  type FileFieldOptions,
  type FileStorage,
  ImageField,
  type UploadedFile,
} from "./fields/file.js";
export {
  DecimalField,
  type DecimalFieldOptions,
  FloatField,
  IntegerField,
  type IntegerFieldOptions,
} from "./fields/numbers.js";
export {
  HiddenField,
  type MethodFieldOptions,
  ReadOnlyField,
  SerializerMethodField,
  valibotJsonSchema,
} from "./fields/special.js";
export {
  DateField,
  type DateFieldOptions,
  DateTimeField,
  type DateTimeFieldOptions,
  DurationField,
  TimeField,
} from "./fields/temporal.js";
export {
  HyperlinkedModelSerializer,
  ModelSerializer,
  type ModelSerializerMeta,
} from "./model/model-serializer.js";
export type { FieldMetaLike, ModelLike, ModelQuerySet } from "./model/model-types.js";
export type { ModelRead, ModelWrite } from "./model/shapes.js";
export { UniqueTogetherValidator, UniqueValidator } from "./model/validators.js";
export {
  type HyperlinkedFieldOptions,
  HyperlinkedIdentityField,
  HyperlinkedRelatedField,
  PrimaryKeyRelatedField,
  SlugRelatedField,
  type SlugRelatedFieldOptions,
  StringRelatedField,
} from "./relations/fields.js";
export type { QuerySetLike } from "./relations/queryset.js";
export { RelatedField, type RelatedFieldOptions } from "./relations/related.js";
export {
  BaseSerializer,
  type IsValidOptions,
  NON_FIELD_ERRORS,
  type QueryPlan,
  type SerializerArgs,
} from "./serializer/base.js";
export { ListSerializer, type ListSerializerArgs } from "./serializer/list.js";
export { Serializer } from "./serializer/serializer.js";
export type { FieldMap, ReadShape, WriteShape } from "./serializer/types.js";
