// Instructions per symbol from a callgrind profile (`--dump-instr=yes`), JIT code included:
// callgrind knows the native symbols (V8's builtins, Node's C++, libc), and Node's
// `--perf-basic-prof` map names the code V8 generated (`JS:*dispatch api-view.js:430`).
// Self costs only: callgrind's call edges out of JIT code are not reliable enough for
// inclusive ones. `pnpm bench --instructions --http` diffs two of these (a short and a long run
// of one server) into instructions per request and symbol.
import { shortSymbol } from "../cpu-profile.js";

/** One entry of a perf map (`/tmp/perf-<pid>.map`): `<start hex> <size hex> <name>`. */
export interface PerfMapEntry {
  start: number;
  size: number;
  name: string;
}

/** The entries of a perf map, sorted by start address. */
export function parsePerfMap(text: string): PerfMapEntry[] {
  const entries: PerfMapEntry[] = [];
  for (const line of text.split("\n")) {
    const m = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) (.+)$/.exec(line);
    if (!m) continue;
    entries.push({
      start: Number.parseInt(m[1] as string, 16),
      size: Number.parseInt(m[2] as string, 16),
      name: m[3] as string,
    });
  }
  return entries.sort((a, b) => a.start - b.start);
}

/**
 * The name of the JIT code at `address`: of the entries covering it, the one starting last. V8
 * reuses code space, so entries may overlap; a covering one is among the few entries back from
 * the last start at or below the address.
 */
function symbolAt(entries: readonly PerfMapEntry[], address: number): string | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((entries[mid] as PerfMapEntry).start <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  for (let i = hi; i >= 0 && i > hi - 64; i--) {
    const e = entries[i] as PerfMapEntry;
    if (address < e.start + e.size) return e.name;
  }
  return undefined;
}

/** The header line `key: a b c` of a callgrind file, as words (undefined when absent). */
function headerWords(callgrind: string, key: string): string[] | undefined {
  const m = new RegExp(`^${key}: *(.*)$`, "m").exec(callgrind);
  return m ? (m[1] as string).trim().split(/\s+/) : undefined;
}

/**
 * The whole run's count of every event a callgrind file holds (`events:` and `summary:`, or
 * `totals:`): `Ir` alone by default; with `--cache-sim=yes` also the simulated cache's misses
 * (`I1mr` instruction reads missing L1, `D1mr` / `D1mw` data reads / writes missing L1, and
 * the `IL`/`DL` misses of the last level).
 */
export function eventTotals(callgrind: string): Record<string, number> {
  const events = headerWords(callgrind, "events") ?? ["Ir"];
  const totals = headerWords(callgrind, "summary") ?? headerWords(callgrind, "totals") ?? [];
  const out: Record<string, number> = {};
  // A cost list may leave out trailing zeros.
  events.forEach((event, i) => {
    out[event] = Number(totals[i] ?? 0);
  });
  return out;
}

/**
 * Self instructions per symbol of a callgrind output (`--dump-instr=yes`, event Ir, with or
 * without other events). Code callgrind cannot name (JIT code: `fn=0x...`) is named by
 * `perfMap`; what neither names is `(unknown JIT code)`.
 */
export function selfCosts(callgrind: string, perfMap: readonly PerfMapEntry[]): Map<string, number> {
  return selfCostsByEvent(callgrind, perfMap, ["Ir"]).get("Ir") as Map<string, number>;
}

/**
 * Self costs per symbol of each of `wanted` events (`Ir`, and with `--cache-sim=yes` the misses:
 * `I1mr`, `D1mr`, ...), named as `selfCosts` names them. An event the file lacks counts 0.
 */
export function selfCostsByEvent(
  callgrind: string,
  perfMap: readonly PerfMapEntry[],
  wanted: readonly string[],
): Map<string, Map<string, number>> {
  // A cost line: its positions (`instr line`), then the events' costs in `events:` order, trailing
  // zeros left out.
  const positions = (headerWords(callgrind, "positions") ?? ["line"]).length;
  const events = headerWords(callgrind, "events") ?? ["Ir"];
  const columns = wanted.map((event) => {
    const i = events.indexOf(event);
    return i < 0 ? -1 : positions + i;
  });
  const byEvent = new Map(wanted.map((event) => [event, new Map<string, number>()]));
  const tables = wanted.map((event) => byEvent.get(event) as Map<string, number>);
  const names = new Map<string, string>();
  let fn = "?";
  let jit = false;
  let address = 0;
  // The line after `calls=` is the call's inclusive cost, not the caller's own.
  let skipNext = false;
  const name = (line: string, prefix: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(line.slice(prefix.length));
    if (!m) return line.slice(prefix.length);
    const id = m[1] as string;
    if (m[2] !== undefined) names.set(id, m[2]);
    return names.get(id) ?? "?";
  };
  for (const line of callgrind.split("\n")) {
    if (line.startsWith("fn=")) {
      fn = name(line, "fn=");
      jit = fn.startsWith("0x");
      continue;
    }
    if (line.startsWith("cfn=")) {
      name(line, "cfn=");
      continue;
    }
    if (line.startsWith("calls=")) {
      skipNext = true;
      continue;
    }
    const first = line.charCodeAt(0);
    // Cost lines start with an address: absolute (0x..), relative (+n, -n) or the same (*).
    if (!(first === 43 || first === 45 || first === 42 || (first >= 48 && first <= 57))) continue;
    const fields = line.split(" ");
    const at = fields[0] as string;
    if (at.startsWith("0x")) address = Number.parseInt(at, 16);
    else if (at.startsWith("+")) address += Number(at.slice(1));
    else if (at.startsWith("-")) address -= Number(at.slice(1));
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (fields.length <= positions) continue;
    const symbol = jit ? shortSymbol(symbolAt(perfMap, address) ?? "(unknown JIT code)") : fn;
    for (let e = 0; e < columns.length; e++) {
      const column = columns[e] as number;
      if (column < 0 || column >= fields.length) continue;
      const table = tables[e] as Map<string, number>;
      table.set(symbol, (table.get(symbol) ?? 0) + Number(fields[column]));
    }
  }
  return byEvent;
}

/** Per request: `(large − small) / requests` for every symbol of either run. */
export function perRequestCosts(
  small: ReadonlyMap<string, number>,
  large: ReadonlyMap<string, number>,
  requests: number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const key of new Set([...small.keys(), ...large.keys()]))
    out.set(key, ((large.get(key) ?? 0) - (small.get(key) ?? 0)) / requests);
  return out;
}

/**
 * V8's compiler and parser, and its garbage collector: work whose timing differs from run to run
 * (a function optimised in one run and not yet in the other), not work a request does. Left
 * out of the per-symbol comparison and reported on their own.
 */
export function backgroundKind(symbol: string): "compiler" | "gc" | "start-up" | undefined {
  // V8's own C++ only: a JavaScript function (`JS:*onParserExecuteCommon`), a regular expression or
  // Node's HTTP parser binding (`node::…::Parser::on_headers_complete`) is request work.
  if (!/^(?:JS:|RegExp:|node::)/.test(symbol)) {
    if (/compiler::|interpreter::|Parser|Scanner|Bytecode|Assembler|AstValueFactory/.test(symbol))
      return "compiler";
    if (
      /MarkCompact|Scaveng|Marking|Sweep|Evacuat|Heap::|IterateObjectCache|RecordMigratedSlot|LiveObjectRange/.test(
        symbol,
      )
    )
      return "gc";
  }
  // Module loading (path resolution) and a primality test that run a varying number of times
  // around start-up, in both servers.
  if (symbol.startsWith("detail::sprp") || / node:(path|internal\/modules\/)/.test(symbol)) return "start-up";
  return undefined;
}
