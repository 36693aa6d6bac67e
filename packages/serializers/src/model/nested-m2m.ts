// A writable nested many-to-many list (forward `article.tags` or reverse `tag.articles`), as
// drf-writable-nested writes it: items sent with a pk are matched to existing rows (and updated
// with their data), items without one are created, and the relation is set to exactly those.
// Rows that leave the relation are unlinked, never deleted. Runs inside the caller's transaction.
import { type ErrorInput, ValidationError } from "../errors.js";
import { ROW_PK } from "../serializer/list.js";
import type { ModelLike } from "./model-types.js";

type Item = Record<string | symbol, unknown>;

interface RelationManager {
  add(...objs: unknown[]): Promise<void>;
  set(objs: readonly unknown[]): Promise<void>;
}

/** The child serializer's write methods (a ModelSerializer has all three). */
export interface NestedWriter {
  create(data: unknown): unknown;
  update(instance: unknown, data: unknown): unknown;
  bulkCreate?(items: unknown[]): Promise<unknown[]>;
}

export async function writeNestedManyToMany(
  related: ModelLike,
  owner: object,
  relationName: string,
  updating: boolean,
  value: unknown,
  writer: NestedWriter,
  fieldName: string,
): Promise<void> {
  const items = (value ?? []) as Item[];
  // one query for every pk the items name, whatever their number
  const pks = [...new Set(items.map((item) => item[ROW_PK]).filter((pk) => pk !== undefined))];
  const found = pks.length ? ((await related.objects.filter({ pk__in: pks })) as { pk: unknown }[]) : [];
  const byPk = new Map(found.map((row) => [String(row.pk), row]));
  if (items.some((item) => item[ROW_PK] !== undefined && !byPk.has(String(item[ROW_PK]))))
    throw new ValidationError(
      {
        [fieldName]: items.map(
          (item): ErrorInput =>
            item[ROW_PK] !== undefined && !byPk.has(String(item[ROW_PK]))
              ? { id: [`Invalid pk "${String(item[ROW_PK])}" - object does not exist.`] }
              : {},
        ),
      },
      "does_not_exist",
    );

  const members: unknown[] = new Array(items.length);
  const fresh: number[] = [];
  for (const [i, item] of items.entries()) {
    const pk = item[ROW_PK];
    if (pk === undefined) fresh.push(i);
    else {
      const row = byPk.get(String(pk));
      // an item that only names its row (`{"id": 3}`) links it without an UPDATE
      members[i] = Object.keys(item).length > 0 ? await writer.update(row, item) : row;
    }
  }
  if (fresh.length) {
    const data = fresh.map((i) => items[i]);
    // a ModelSerializer child inserts plain rows with one INSERT
    const created = writer.bulkCreate
      ? await writer.bulkCreate(data)
      : await sequential(data, (d) => writer.create(d));
    for (const [k, i] of fresh.entries()) members[i] = created[k];
  }

  const manager = (owner as { related(name: string): RelationManager }).related(relationName);
  if (updating) await manager.set(members);
  else if (members.length) await manager.add(...members);
}

async function sequential<T>(list: T[], fn: (x: T) => unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const x of list) out.push(await fn(x));
  return out;
}
