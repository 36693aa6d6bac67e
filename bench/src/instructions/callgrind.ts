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

/**
 * Self instructions per symbol of a callgrind output (`--dump-instr=yes`, event Ir). Code
 * callgrind cannot name (JIT code: `fn=0x...`) is named by `perfMap`; what neither names is
 * `(unknown JIT code)`.
 */
export function selfCosts(callgrind: string, perfMap: readonly PerfMapEntry[]): Map<string, number> {
  const names = new Map<string, string>();
  const costs = new Map<string, number>();
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
    if (fields.length < 3) continue;
    const ir = Number(fields[fields.length - 1]);
    const symbol = jit ? shortSymbol(symbolAt(perfMap, address) ?? "(unknown JIT code)") : fn;
    costs.set(symbol, (costs.get(symbol) ?? 0) + ir);
  }
  return costs;
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
