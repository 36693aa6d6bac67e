// Saving a model row with its many-to-many values and nested (writable) serializers, as the
// drf-writable-nested package does for DRF. Runs inside the caller's transaction.
import { saveUpload } from "@x/models";
import { ValidationError } from "../errors.js";
import { FileField, isUpload, type UploadedFile } from "../fields/file.js";
import { BaseSerializer } from "../serializer/base.js";
import { ListSerializer, ROW_PK } from "../serializer/list.js";
import type { AnyField } from "../serializer/types.js";
import type { ModelLike } from "./model-types.js";
import { type NestedWriter, writeNestedManyToMany } from "./nested-m2m.js";

type Row = Record<string, unknown> & { save?: () => Promise<void>; pk?: unknown };

type Writer = NestedWriter;

const isNested = (f: AnyField): boolean => f instanceof BaseSerializer || f instanceof ListSerializer;

export async function writeNested(
  model: ModelLike,
  writable: readonly AnyField[],
  instance: object | null,
  data: Record<string, unknown>,
): Promise<unknown> {
  const m = model.meta;
  // DRF's assertion: a dotted source would write a dict into a relation attribute
  const dotted = writable.find((f) => !isNested(f) && f.sourceAttrs.length > 1 && f.sourceAttrs[0]! in data);
  if (dotted)
    throw new Error(
      `The \`.${instance ? "update" : "create"}()\` method does not support writable dotted-source fields by default. ` +
        `Write an explicit \`.${instance ? "update" : "create"}()\` method, or set \`readOnly: true\` on dotted-source field "${dotted.fieldName}".`,
    );
  const plain: Record<string, unknown> = { ...data };
  const after: (() => Promise<void>)[] = [];
  const row = () => target as Row;
  let target: object | null = instance;

  // nested serializers: forward relations are written first (their id goes in the row), reverse after
  for (const field of writable) {
    if (!isNested(field)) continue;
    const name = field.sourceAttrs[0];
    if (name === undefined || !(name in plain)) continue;
    const value = plain[name];
    delete plain[name];
    const forward = m.fields.find((f) => f.name === name && f.isRelation);
    const reverse = m.relatedObjects.find((r) => r.name === name);
    const writer = (field instanceof ListSerializer ? field.child : field) as unknown as Writer;
    // many-to-many, forward (article.tags) or reverse (tag.articles): linked once the row exists
    const manyToMany =
      m.manyToMany.find((f) => f.name === name)?.relatedModel?.() ??
      (reverse?.field.manyToMany ? reverse.relatedModel : undefined);
    if (manyToMany) {
      after.push(() =>
        writeNestedManyToMany(manyToMany, row(), name, instance !== null, value, writer, field.fieldName),
      );
    } else if (forward) {
      if (value === null) {
        plain[name] = null;
        continue;
      }
      const related = forward.relatedModel!();
      const currentId = instance ? (instance as Row)[forward.attname] : null;
      const current = currentId == null ? undefined : (await related.objects.filter({ pk: currentId }))[0];
      plain[name] = current ? await writer.update(current, value) : await writer.create(value);
    } else if (reverse) {
      const fk = reverse.field;
      after.push(async () => {
        const owner = row();
        if (reverse.multiple) {
          await writeNestedList(
            reverse.relatedModel,
            fk.attname,
            fk.name,
            owner,
            instance !== null,
            value,
            writer,
            name,
          );
        } else {
          const existing = (await reverse.relatedModel.objects.filter({ [fk.attname]: owner.pk }))[0];
          if (value === null) {
            if (existing) await (existing as { delete(): Promise<unknown> }).delete();
          } else if (existing) await writer.update(existing, value);
          else await writer.create({ ...(value as object), [fk.name]: owner });
        }
      });
    } else throw new Error(`Nested field "${field.fieldName}" does not name a relation of ${m.objectName}.`);
  }

  // uploads are stored first: the row keeps the stored name (Django's FieldFile.save in pre_save)
  for (const field of writable) {
    const name = field.sourceAttrs[0];
    if (!(field instanceof FileField) || name === undefined || !isUpload(plain[name])) continue;
    const upload = plain[name] as UploadedFile;
    const meta = m.fields.find((f) => f.name === name);
    plain[name] = await saveUpload({
      uploadTo: meta?.uploadTo as Parameters<typeof saveUpload>[0]["uploadTo"],
      instance: instance ?? plain,
      filename: upload.name,
      content: upload.content ?? upload.bytes ?? new Uint8Array(),
      maxLength: meta?.maxLength ?? 100,
    });
  }

  const m2m: [string, unknown[]][] = [];
  for (const f of m.manyToMany) {
    if (f.name in plain) {
      m2m.push([f.name, plain[f.name] as unknown[]]);
      delete plain[f.name];
    }
  }

  if (target === null) target = (await model.objects.create(plain)) as object;
  else {
    Object.assign(target, plain);
    await (target as Row).save!();
  }
  for (const [name, values] of m2m) await (row()[name] as { set(v: unknown[]): Promise<void> }).set(values);
  for (const step of after) await step();
  return target;
}

/**
 * A nested list under its parent (drf-writable-nested's rules): items sent with the `id` of one
 * of the parent's rows update it, items without an id are created, and on update the parent's
 * rows no item names are deleted.
 */
async function writeNestedList(
  related: ModelLike,
  fkColumn: string,
  fkName: string,
  owner: Row,
  updating: boolean,
  value: unknown,
  writer: Writer,
  fieldName: string,
): Promise<void> {
  const items = (value ?? []) as Record<string | symbol, unknown>[];
  const existing = updating ? ((await related.objects.filter({ [fkColumn]: owner.pk })) as Row[]) : [];
  const byPk = new Map(existing.map((r) => [String(r.pk), r]));
  const unknown = items.map((item) => item[ROW_PK]).filter((pk) => pk !== undefined && !byPk.has(String(pk)));
  if (unknown.length)
    throw new ValidationError(
      { [fieldName]: unknown.map((pk) => `Invalid pk "${String(pk)}" - object does not exist.`) },
      "does_not_exist",
    );
  const stale = existing.filter(
    (r) => !items.some((item) => item[ROW_PK] !== undefined && String(item[ROW_PK]) === String(r.pk)),
  );
  if (stale.length) await related.objects.filter({ pk__in: stale.map((r) => r.pk) }).delete();
  for (const item of items) {
    const pk = item[ROW_PK];
    if (pk !== undefined) await writer.update(byPk.get(String(pk)), item);
    else await writer.create({ ...item, [fkName]: owner });
  }
}
