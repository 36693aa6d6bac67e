// Reading a V8 .cpuprofile (node --cpu-prof): where the samples fall, by
// function (self and inclusive time) and by source file.
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  percent: number;
}

/** `packages/models/src/query/compiler.ts`, `hono`, `node:internal/...`: a stable short location. */
export function shortUrl(url: string): string {
  if (!url) return "";
  const workspace = /\/((?:(?:packages|apps)\/[^/]+|bench)\/(?:src|dist)\/.*)$/.exec(url);
  if (workspace) return workspace[1] as string;
  const dep = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (dep) return `${dep[1]}/${dep[2]}`;
  return url.replace(/^file:\/\//, "");
}

/** A JIT code name from Node's perf map (`JS:*get file:///…/hono/dist/a.js:1:2`) with its file shortened. */
export function shortSymbol(name: string): string {
  return name.replace(
    /(JS:[*~^]?\S*\s+)(file:\/\/\S+|\/\S+)/,
    (_all, head: string, url: string) => `${head}${shortUrl(url)}`,
  );
}

const frameName = (n: ProfileNode) =>
  `${n.callFrame.functionName || "(anonymous)"} ${shortUrl(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""}`;

function top(map: Map<string, number>, total: number, limit: number): Share[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / total }));
}

export interface ProfileSummary {
  totalMs: number;
  selfByFunction: Share[];
  inclusiveByFunction: Share[];
  selfByFile: Share[];
}

/** `focus` keeps inclusive rows whose location matches (e.g. the workspace's own code). */
export function summarizeProfile(
  profile: CpuProfile,
  limit = 25,
  focus = /^(packages|apps)\//,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || dt <= 0) return;
    total += dt;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + dt);
    const file = shortUrl(node.callFrame.url) || node.callFrame.functionName;
    files.set(file, (files.get(file) ?? 0) + dt);
    // Every distinct frame on the stack once, so recursion does not count twice.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame || !focus.test(shortUrl(frame.callFrame.url))) continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  return {
    totalMs: total / 1000,
    selfByFunction: top(self, total, limit),
    inclusiveByFunction: top(inclusive, total, limit),
    selfByFile: top(files, total, limit),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const rows = (title: string, shares: Share[]) =>
    [
      `${title}`,
      ...shares.map(
        (x) => `  ${x.percent.toFixed(1).padStart(5)}%  ${x.ms.toFixed(0).padStart(7)} ms  ${x.name}`,
      ),
    ].join("\n");
  return [
    `sampled ${s.totalMs.toFixed(0)} ms`,
    rows("self time by function", s.selfByFunction),
    rows("inclusive time by workspace function (packages/, apps/)", s.inclusiveByFunction),
    rows("self time by file", s.selfByFile),
  ].join("\n\n");
}
