// The schema a database actually holds, read back from its catalog, in an order-independent
// form that two databases built differently can be compared with (toEqual).
import type { Database } from "../../src/db/database.js";
import { MIGRATIONS_TABLE } from "../../src/migrations/recorder.js";

export interface IntrospectedTable {
  /** name, declared type, NOT NULL, default, primary key: one line per column, sorted */
  columns: string[];
  /** table-level items as declared (column definitions with their CHECKs, named constraints), sorted */
  definition: string[];
  /** name (automatic ones without their number), unique, columns with DESC: one line per index, sorted */
  indexes: string[];
  /** PostgreSQL: name, kind and definition of every constraint; SQLite: every foreign key */
  constraints: string[];
}

export type IntrospectedSchema = Record<string, IntrospectedTable>;

/** Splits `a, b (c, d), e` at the commas outside parentheses and quotes. */
function splitTopLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(body.slice(start).trim());
  return out.filter((s) => s !== "");
}

async function sqliteSchema(db: Database): Promise<IntrospectedSchema> {
  const out: IntrospectedSchema = {};
  const tables = await db.execute(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name",
    [MIGRATIONS_TABLE],
  );
  for (const t of tables.rows) {
    const name = String(t.name);
    const sql = String(t.sql);
    const body = sql.slice(sql.indexOf("(") + 1, sql.lastIndexOf(")"));
    const cols = await db.execute(`SELECT * FROM pragma_table_info('${name}')`);
    const indexList = await db.execute(`SELECT * FROM pragma_index_list('${name}')`);
    const indexes: string[] = [];
    for (const ix of indexList.rows) {
      const info = await db.execute(
        `SELECT name, desc FROM pragma_index_xinfo('${String(ix.name)}') WHERE key = 1 ORDER BY seqno`,
      );
      const columns = info.rows.map((r) => `${String(r.name)}${Number(r.desc) ? " DESC" : ""}`);
      const ixName = String(ix.name).startsWith("sqlite_autoindex_") ? "(automatic)" : String(ix.name);
      indexes.push(
        `${ixName} ${Number(ix.unique) ? "UNIQUE " : ""}(${columns.join(", ")}) ${String(ix.origin)}`,
      );
    }
    const fks = await db.execute(`SELECT * FROM pragma_foreign_key_list('${name}')`);
    out[name] = {
      columns: cols.rows
        .map(
          (c) =>
            `${String(c.name)} ${String(c.type)}${Number(c.notnull) ? " NOT NULL" : ""} default=${String(c.dflt_value)} pk=${String(c.pk)}`,
        )
        .sort(),
      definition: splitTopLevel(body).sort(),
      indexes: indexes.sort(),
      constraints: fks.rows
        .map(
          (f) =>
            `FOREIGN KEY (${String(f.from)}) REFERENCES ${String(f.table)} (${String(f.to)}) ON DELETE ${String(f.on_delete)}`,
        )
        .sort(),
    };
  }
  return out;
}

async function postgresSchema(db: Database): Promise<IntrospectedSchema> {
  const out: IntrospectedSchema = {};
  const schema = String((await db.execute("SELECT current_schema() AS s")).rows[0]!.s);
  const unqualify = (s: string) => s.split(`${schema}.`).join("").split(`"${schema}".`).join("");
  const tables = await db.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> $2 ORDER BY table_name",
    [schema, MIGRATIONS_TABLE],
  );
  for (const t of tables.rows) {
    const name = String(t.table_name);
    const cols = await db.execute(
      `SELECT column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale,
              is_nullable, column_default, is_identity, identity_generation
         FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
      [schema, name],
    );
    const indexes = await db.execute(
      "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2",
      [schema, name],
    );
    const constraints = await db.execute(
      `SELECT co.conname, co.contype, pg_get_constraintdef(co.oid) AS def
         FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
         JOIN pg_namespace n ON n.oid = cl.relnamespace
        WHERE n.nspname = $1 AND cl.relname = $2`,
      [schema, name],
    );
    out[name] = {
      columns: cols.rows
        .map(
          (c) =>
            `${String(c.column_name)} ${String(c.data_type)}/${String(c.udt_name)}(${String(c.character_maximum_length)},${String(c.numeric_precision)},${String(c.numeric_scale)})${c.is_nullable === "NO" ? " NOT NULL" : ""} default=${String(c.column_default)} identity=${String(c.is_identity)}/${String(c.identity_generation)}`,
        )
        .sort(),
      definition: [],
      indexes: indexes.rows.map((r) => `${String(r.indexname)}: ${unqualify(String(r.indexdef))}`).sort(),
      constraints: constraints.rows
        .map((r) => `${String(r.conname)} ${String(r.contype)}: ${unqualify(String(r.def))}`)
        .sort(),
    };
  }
  return out;
}

/** Tables (but the migrations table), columns, indexes and constraints as the database reports them. */
export function introspect(db: Database): Promise<IntrospectedSchema> {
  return db.vendor === "sqlite" ? sqliteSchema(db) : postgresSchema(db);
}
