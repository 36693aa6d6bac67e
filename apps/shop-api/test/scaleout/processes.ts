// Real shop-api processes for the scale-out tests: `manage` commands run to
// completion, `runserver` processes started on a free port each, and an HTTP
// client that talks to them as a load balancer would (one public Host for all,
// the client's address in X-Forwarded-For).
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { resolve } from "node:path";

export const appDir = resolve(import.meta.dirname, "../..");
const tsx = resolve(appDir, "node_modules/.bin/tsx");

/** `tsx --conditions=source <script> <args>` in the app's directory. */
function start(
  script: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(tsx, ["--conditions=source", script, ...args], {
    cwd: appDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  return { child, output: () => output };
}

/** Runs `manage <args>` to completion; rejects with its output unless it exits 0. */
export function manage(args: string[], env: Record<string, string>): Promise<string> {
  const { child, output } = start("src/manage.ts", args, env);
  return new Promise((resolvePromise, reject) => {
    child.on("exit", (code) =>
      code === 0
        ? resolvePromise(output())
        : reject(new Error(`manage ${args.join(" ")} exited with ${code}:\n${output()}`)),
    );
  });
}

export interface Server {
  /** The `tsx` wrapper we spawned. */
  child: ChildProcess;
  /** The Node process running the app (tsx's child), as the server prints it. */
  pid: number;
  port: number;
  output: () => string;
}

/**
 * Starts `manage runserver --port 0` (or another server script that prints the
 * same line) and resolves once it prints the port it listens on.
 */
export function runserver(env: Record<string, string>, script?: string): Promise<Server> {
  const { child, output } = script
    ? start(script, [], env)
    : start("src/manage.ts", ["runserver", "--port", "0"], env);
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`runserver did not listen:\n${output()}`)), 90_000);
    const poll = setInterval(() => {
      const m = output().match(/listening on http:\/\/localhost:(\d+)\/\S* \(pid (\d+)\)/);
      if (!m) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolvePromise({ child, port: Number(m[1]), pid: Number(m[2]), output });
    }, 50);
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`runserver exited with ${code}:\n${output()}`));
    });
  });
}

/**
 * SIGTERM to the app's own process (as an orchestrator signals a container's
 * process), then its exit code once it has finished its requests and closed
 * its pools. Not to the tsx wrapper: tsx relays a signal and SIGKILLs the app
 * when the app's acknowledgement takes over 30 ms, which a busy machine exceeds.
 */
export function stop(server: Server): Promise<number | null> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolvePromise) => {
    const killer = setTimeout(() => {
      try {
        process.kill(server.pid, "SIGKILL");
      } catch {
        // already gone: the wrapper's exit follows
      }
      child.kill("SIGKILL");
    }, 15_000);
    child.removeAllListeners("exit");
    child.once("exit", (code) => {
      clearTimeout(killer);
      resolvePromise(code);
    });
    process.kill(server.pid, "SIGTERM");
  });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of several endpoints; each test asserts the fields it reads
  json: any;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The client's address, as the load balancer reports it in X-Forwarded-For. */
  client: string;
}

/** The public host every process sees behind the load balancer (fetch cannot set Host; node:http can). */
export const PUBLIC_HOST = "shop.test";

export function call(port: number, path: string, options: CallOptions): Promise<Reply> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    Host: PUBLIC_HOST,
    "X-Forwarded-For": options.client,
    Accept: "application/json",
    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    ...options.headers,
  };
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          const json = text && res.headers["content-type"]?.includes("json") ? JSON.parse(text) : undefined;
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
