// The PostgreSQL backend: a node-postgres pool, compiled shapes as named prepared statements,
// rows as arrays. pg is loaded when the first pool is made (`pgDriver`), not on import.
import { createRequire } from "node:module";
import { PgDialect } from "drizzle-orm/pg-core";
import type * as Pg from "pg";
import { OperationalError } from "../errors.js";
import { recordQuery } from "./capture.js";
import type { Connection, Database, ExecuteOptions, QueryResult } from "./database.js";
import { mapPgError } from "./errors.js";
import { preparedStatementName } from "./prepared.js";
import { currentConnection } from "./tx-context.js";

/** The number written in v[from, to) in decimal digits, -1 when a character is not a digit. */
function digitsAt(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * timestamptz as the server writes it to a session in UTC ("2026-11-27 16:01:02.123456+00") read
 * by position into Date.UTC, with pg's own arithmetic for the fraction (the same Date as pg's
 * parser, without its regular expressions); any other text (another offset, BC, infinity, a year
 * below 100 or above 9999) goes to pg's parser.
 */
export function readTimestamptz(v: string): unknown {
  const n = v.length;
  if (
    n < 22 ||
    n > 29 ||
    n === 23 ||
    v.charCodeAt(n - 3) !== 43 || // +00
    v.charCodeAt(n - 2) !== 48 ||
    v.charCodeAt(n - 1) !== 48 ||
    v.charCodeAt(4) !== 45 || // YYYY-MM-DD HH:MM:SS
    v.charCodeAt(7) !== 45 ||
    v.charCodeAt(10) !== 32 ||
    v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58 ||
    (n > 22 && (v.charCodeAt(19) !== 46 || digitsAt(v, 20, n - 3) < 0)) // .f to .ffffff
  ) {
    return pgDriver().timestamptz(v);
  }
  const year = digitsAt(v, 0, 4);
  const month = digitsAt(v, 5, 7);
  const day = digitsAt(v, 8, 10);
  const hour = digitsAt(v, 11, 13);
  const minute = digitsAt(v, 14, 16);
  const second = digitsAt(v, 17, 19);
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0)
    return pgDriver().timestamptz(v);
  const ms = n === 22 ? 0 : 1000 * Number.parseFloat(v.slice(19, n - 3));
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

// pg parses DATE into a local Date and int8 into a string: keep dates as strings, counts as numbers.
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 1082) return (v: string) => v;
    if (oid === 20) return (v: string) => Number(v);
    if (oid === 1184 && format !== "binary") return readTimestamptz;
    return pgDriver().typeParser(oid, format);
  },
};

interface PgField {
  dataTypeID: number;
  format?: "text" | "binary";
}

/** What of pg's Connection PgStatement writes to (the extended query protocol's messages). */
interface PgConnection {
  parsedStatements: Record<string, unknown>;
  bind(config: {
    portal: string;
    statement: string;
    values: unknown[];
    binary: boolean | undefined;
    valueMapper: (value: unknown) => unknown;
  }): void;
  close(config: { type: "S"; name: string }): void;
  sync(): void;
}

/** What of pg.Query's result handling (not in its types) PgStatement uses. */
interface PgQueryInternals extends Pg.Submittable {
  name: string | undefined;
  values: unknown[];
  portal: string;
  binary: boolean | undefined;
  rows: number | undefined;
  prepare(connection: PgConnection): void;
  _getRows(connection: PgConnection, rows: number | undefined): void;
  handleError(err: unknown, connection: PgConnection): void;
  callback: QueryCallback | undefined;
  _rowMode: string | undefined;
  _result: {
    fields: PgField[];
    _parsers: ((v: string) => unknown)[];
    _types: typeof pgTypes | undefined;
    rowAsArray: boolean;
    parseRow: unknown;
    _parseRowAsArray: unknown;
  };
  _accumulateRows: boolean;
  _checkForMultirow(): void;
  handleRowDescription(msg: { fields: PgField[] }): void;
  listeners(event: string): unknown[];
}

type QueryCallback = (err: Error | undefined, res: Pg.QueryResult) => void;

interface PoolWithCallback {
  query(query: PgQueryInternals, callback: QueryCallback): void;
}

type PgStatementClass = new (
  text: string,
  values: unknown[],
  name: string | undefined,
  arrayRows: boolean,
) => PgQueryInternals;

function statementClass(
  PgQuery: new (text: string, values: unknown[]) => PgQueryInternals,
): PgStatementClass {
  /**
   * One statement. Made from its text and values (pg copies a config object property by property
   * through its descriptors, ~1.4 µs a statement), then named and put in array mode as pg's
   * constructor does from a config. Rows asked for as arrays (every compiled query): pg's
   * Result.addFields, run for every result, also builds a row template object keyed by column name
   * that only object rows use (~0.5 µs a column: ~20 µs for the product detail's two statements);
   * this only picks each column's parser, as addFields does. Everything else is pg.Query's.
   */
  return class PgStatement extends PgQuery {
    private readonly arrayRows: boolean;

    constructor(text: string, values: unknown[], name: string | undefined, arrayRows: boolean) {
      super(text, values);
      if (name !== undefined) this.name = name;
      this.arrayRows = arrayRows;
      if (arrayRows) {
        this._rowMode = "array";
        this._result.rowAsArray = true;
        this._result.parseRow = this._result._parseRowAsArray;
      }
    }

    /** The connection this statement was written to with a Describe (its columns are kept for it). */
    private describedTo: PgConnection | undefined = undefined;

    override prepare(connection: PgConnection): void {
      const name = this.name;
      const known =
        name !== undefined && this.arrayRows && connection.parsedStatements[name] !== undefined
          ? describedOn.get(connection)?.get(name)
          : undefined;
      if (known === undefined) {
        this.describedTo = connection;
        super.prepare(connection);
        return;
      }
      // Bind and Execute only: the rows come without a RowDescription, read with the known columns
      this._result.fields = known.fields as PgField[];
      this._result._parsers = known.parsers;
      this._accumulateRows = this.callback !== undefined || this.listeners("row").length === 0;
      try {
        connection.bind({
          portal: this.portal,
          statement: name as string,
          values: this.values,
          binary: this.binary,
          valueMapper: pgDriver().prepareValue,
        });
      } catch (err) {
        // a value pg cannot convert: the statement is closed and the error answered, as pg does
        connection.close({ type: "S", name: name as string });
        connection.sync();
        this.handleError(err, connection);
        return;
      }
      this._getRows(connection, this.rows);
    }

    override handleRowDescription(msg: { fields: PgField[] }): void {
      if (!this.arrayRows) {
        super.handleRowDescription(msg);
        return;
      }
      // a second statement's rows (multi-statement text) start a new result, as pg does
      this._checkForMultirow();
      const fields = msg.fields;
      const types = this._result._types ?? pgTypes;
      this._result.fields = fields;
      const name = this.name;
      if (name === undefined) this._result._parsers = parsersFor(types, fields);
      else {
        const parsers = statementParsers(types, name, fields);
        this._result._parsers = parsers;
        const connection = this.describedTo;
        if (connection !== undefined) {
          let byName = describedOn.get(connection);
          if (byName === undefined) {
            byName = new Map();
            describedOn.set(connection, byName);
          }
          byName.set(name, { fields, parsers });
        }
      }
      this._accumulateRows = this.callback !== undefined || this.listeners("row").length === 0;
    }
  };
}

type Parser = (v: string) => unknown;
type PgTypes = Pick<typeof pgTypes, "getTypeParser">;

/** Each column's parser, picked as pg's Result.addFields does. */
function parsersFor(types: PgTypes, fields: readonly PgField[]): Parser[] {
  const parsers = new Array<Parser>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as PgField;
    parsers[i] = types.getTypeParser(field.dataTypeID, field.format ?? "text") as Parser;
  }
  return parsers;
}

/** The columns a named statement last described and their parsers. */
interface StatementColumns {
  fields: readonly PgField[];
  parsers: Parser[];
}

// Per connection: the columns each named statement was described with there. A statement that
// has been parsed and described on a connection answers the same columns on every execution
// (PostgreSQL fails one whose result type a schema change altered, "cached plan must not change
// result type", and the connection is then discarded), so later executions skip Describe: no
// RowDescription to send, read and parse, column by column, for every query.
const describedOn = new WeakMap<PgConnection, Map<string, StatementColumns>>();

// Per connection (its type overrides object) and statement name. A named statement describes the
// same columns on every execution: picking each column's parser again (a few type-table lookups a
// column) was repeated for every query. The types are still compared, so a statement prepared
// again after a migration gets the parsers of its new columns.
const columnsByTypes = new WeakMap<object, Map<string, StatementColumns>>();

function statementParsers(types: PgTypes, name: string, fields: readonly PgField[]): Parser[] {
  let byName = columnsByTypes.get(types);
  if (byName === undefined) {
    byName = new Map();
    columnsByTypes.set(types, byName);
  }
  const known = byName.get(name);
  if (known !== undefined && sameColumnTypes(known.fields, fields)) return known.parsers;
  const parsers = parsersFor(types, fields);
  byName.set(name, { fields, parsers });
  return parsers;
}

function sameColumnTypes(a: readonly PgField[], b: readonly PgField[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as PgField;
    const y = b[i] as PgField;
    if (x.dataTypeID !== y.dataTypeID || x.format !== y.format) return false;
  }
  return true;
}

interface PgDriver {
  Pool: typeof Pg.Pool;
  /** pg's conversion of a parameter for Bind (what pg.Query's own prepare passes). */
  prepareValue: (value: unknown) => unknown;
  Statement: PgStatementClass;
  // pg's getTypeParser is overloaded by format; one signature for both.
  typeParser: (oid: number, format?: string) => unknown;
  timestamptz: (v: string) => unknown;
}

let driver: PgDriver | undefined;
function pgDriver(): PgDriver {
  if (driver) return driver;
  const require = createRequire(import.meta.url);
  const pg = require("pg") as typeof Pg;
  const typeParser = pg.types.getTypeParser as (oid: number, format?: string) => unknown;
  const utils = require("pg/lib/utils") as { prepareValue: (value: unknown) => unknown };
  driver = {
    Pool: pg.Pool,
    prepareValue: utils.prepareValue,
    Statement: statementClass(
      pg.Query as unknown as new (
        text: string,
        values: unknown[],
      ) => PgQueryInternals,
    ),
    typeParser,
    timestamptz: typeParser(1184, "text") as (v: string) => unknown,
  };
  return driver;
}

export class PostgresDatabase implements Database {
  readonly vendor = "postgresql" as const;
  readonly dialect = new PgDialect();
  readonly beginSql = "BEGIN";
  private pool: Pg.Pool | undefined;

  constructor(
    readonly url: string,
    private readonly connectionString: string,
    readonly schema: string | undefined,
    private readonly pool_: { size: number; timeoutMs: number },
    readonly alias: string,
    private readonly preparedStatements: boolean,
  ) {}

  private getPool(): Pg.Pool {
    if (!this.pool) {
      const options = [`-c timezone=UTC`];
      if (this.schema) options.push(`-c search_path=${this.schema}`);
      this.pool = new (pgDriver().Pool)({
        connectionString: this.connectionString,
        options: options.join(" "),
        types: pgTypes,
        max: this.pool_.size,
        // bounds both a new connection and the wait for a free one when all are busy
        connectionTimeoutMillis: this.pool_.timeoutMs,
        // a statement is written as soon as it is issued, without waiting for the answers to the
        // ones ahead of it: a transaction's send() rides along with its next statement (one
        // connection still runs one query at a time for pool.query())
        ...{ pipeline: true },
      });
      // an idle client erroring (server restart) must not crash the process
      this.pool.on("error", () => {});
    }
    return this.pool;
  }

  /** Runs `sql` on `connection`, or on a pooled one when undefined. */
  private async runOn(
    connection: Pg.PoolClient | undefined,
    sql: string,
    params: readonly unknown[],
    options?: ExecuteOptions,
  ): Promise<QueryResult> {
    recordQuery(sql, params, this.alias);
    // a compiled shape runs as a named statement: parsed and planned once per connection
    const name = this.preparedStatements ? preparedStatementName(sql) : undefined;
    const pooled = connection === undefined;
    let sent = false;
    try {
      const client = connection ?? this.getPool();
      const query = new (pgDriver().Statement)(sql, params as unknown[], name, options?.arrayMode === true);
      sent = true;
      // One promise for the answer: pool.query() without a callback makes two more of its own.
      return await new Promise<QueryResult>((resolve, reject) => {
        const done: QueryCallback = (err, res) => {
          if (err) reject(err);
          else resolve({ rows: res.rows as Record<string, unknown>[], rowCount: res.rowCount ?? 0 });
        };
        // the pool checks a client out, runs the query with its own callback, releases it, calls done
        // (pg-pool takes a query object with a callback; its types do not say so)
        if (pooled) (client as unknown as PoolWithCallback).query(query, done);
        else {
          query.callback = done;
          client.query(query);
        }
      });
    } catch (err) {
      // a stack that leads back to the caller, not to the socket's read (as pool.query()'s promise gives)
      if (sent && pooled && err instanceof Error) Error.captureStackTrace(err);
      throw mapPgError(err);
    }
  }

  // Not async: the caller waits on runOn's (or the transaction's) promise itself, without
  // another promise around it.
  execute(sql: string, params: readonly unknown[] = [], options?: ExecuteOptions): Promise<QueryResult> {
    const conn = currentConnection(this);
    if (conn) return conn.query(sql, params, options);
    return this.runOn(undefined, sql, params, options);
  }

  async acquire(): Promise<Connection> {
    let client: Pg.PoolClient;
    try {
      client = await this.getPool().connect();
    } catch (err) {
      throw mapPgError(err);
    }
    // The pool's error handler covers idle clients only: a checked-out connection killed by the
    // server (restart, pg_terminate_backend) between two queries of a transaction would emit an
    // unhandled 'error' and crash the process. Note it, and discard the client on release.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on("error", onError);
    const run = async (sql: string, params: readonly unknown[], options?: ExecuteOptions) => {
      try {
        return await this.runOn(client, sql, params, options);
      } catch (err) {
        // the connection is unusable (or holds a prepared statement whose result columns a
        // migration changed, which fails until it is replaced): discard it, as pool.query() does
        if (err instanceof OperationalError) broken ??= err;
        throw err;
      }
    };
    // statements sent and not yet waited for, in the order they were sent
    let sent: Promise<QueryResult>[] = [];
    // what send() writes stays in the socket's buffer until the next statement is written, so
    // both leave in one write (one system call, one wake-up of the server process)
    const socket = (client as unknown as Pg.Client).connection.stream;
    let corked = false;
    const uncork = () => {
      if (corked) {
        corked = false;
        socket.uncork();
      }
    };
    return {
      query: async (sql, params, options) => {
        const result = run(sql, params, options); // written synchronously (behind what send() corked)
        uncork();
        if (sent.length > 0) {
          const ahead = sent;
          sent = [];
          try {
            for (const p of ahead) await p;
          } catch (err) {
            // this statement ran in the aborted transaction (or not at all): its own error says less
            await result.catch(() => {});
            throw err;
          }
        }
        return await result;
      },
      send: (sql) => {
        if (!corked) {
          socket.cork();
          corked = true;
        }
        const p = run(sql, []);
        p.catch(() => {}); // thrown by the next query()
        sent.push(p);
      },
      release: () => {
        uncork();
        // a statement nobody waited for would go unchecked: do not reuse the connection
        if (sent.length > 0) broken ??= new Error("released with statements not waited for");
        client.off("error", onError);
        client.release(broken);
      },
    };
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
