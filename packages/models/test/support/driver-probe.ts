// Run in a child process by driver-loading.test.ts: which database drivers are loaded after
// importing @x/models, then after one query on DATABASE_URL (when given). Prints one JSON line.
import { createRequire } from "node:module";
import { closeDatabase, configureDatabase, getDatabase } from "../../src/index.js";

const require = createRequire(import.meta.url);
const loaded = () => {
  const files = Object.keys(require.cache);
  return {
    pg: files.some((f) => /[\\/]node_modules[\\/]pg[\\/]/.test(f)),
    betterSqlite3: files.some((f) => /[\\/]node_modules[\\/]better-sqlite3[\\/]/.test(f)),
  };
};

const afterImport = loaded();
const url = process.env.DATABASE_URL;
let afterQuery: ReturnType<typeof loaded> | null = null;
if (url) {
  configureDatabase(url);
  const { rows } = await getDatabase().execute("SELECT 1 AS one");
  if (rows.length !== 1) throw new Error("SELECT 1 returned no row");
  afterQuery = loaded();
  await closeDatabase();
}
process.stdout.write(`${JSON.stringify({ afterImport, afterQuery })}\n`);
