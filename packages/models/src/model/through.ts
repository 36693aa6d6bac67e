// The automatic join-table model of a ManyToManyField without `through`.

import { ForeignKey } from "../fields/relations.js";
import type { FieldMeta } from "../fields/types.js";
import { CASCADE } from "../fields/types.js";
import { defineModel } from "./define.js";
import type { AnyModel, FieldMetaWithSpec } from "./internal.js";
import { setThroughFactory } from "./relations.js";

setThroughFactory((model: AnyModel, field: FieldMeta, target: AnyModel) => {
  const self = model === target;
  const from = self ? `from_${model.meta.modelName}` : model.meta.modelName;
  const to = self ? `to_${target.meta.modelName}` : target.meta.modelName;
  const objectName = `${model.meta.objectName}_${field.name}`;
  const dbTable =
    ((field as FieldMetaWithSpec).spec as { m2mDbTable?: string }).m2mDbTable ??
    `${model.meta.dbTable}_${field.name}`;
  const hidden = `${objectName.toLowerCase()}+`;
  const through = defineModel(`${model.meta.appLabel}.${objectName}`, {
    fields: {
      [from]: ForeignKey(() => model, { onDelete: CASCADE, relatedName: `${hidden}_${from}` }),
      [to]: ForeignKey(() => target, { onDelete: CASCADE, relatedName: `${hidden}_${to}` }),
    },
    meta: { dbTable, uniqueTogether: [[from, to]] },
  }) as unknown as AnyModel;
  (through.meta as { autoCreated: boolean }).autoCreated = true;
  return through;
});
