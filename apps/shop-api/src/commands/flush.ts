import { type AnyModel, getDatabase } from "@x/models";

/** Django's `flush`: every table emptied (children first), sequences restarted. */
export async function flushDatabase(models: readonly AnyModel[]): Promise<void> {
  const db = getDatabase();
  const tables = models.map((m) => m.meta.dbTable);
  if (db.vendor === "postgresql") {
    await db.execute(`TRUNCATE ${tables.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY CASCADE`);
    return;
  }
  await db.execute("PRAGMA foreign_keys = OFF");
  try {
    for (const table of tables) await db.execute(`DELETE FROM "${table}"`);
    await db.execute("DELETE FROM sqlite_sequence").catch(() => undefined);
  } finally {
    await db.execute("PRAGMA foreign_keys = ON");
  }
}
