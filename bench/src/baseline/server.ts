// The baseline as a process:
// `DATABASE_URL=sqlite:<file>|postgres://… PORT=… SECRET_KEY=… [THROTTLE_ANON=… THROTTLE_USER=…]
// node --import tsx server.ts`.
import type { ServerResponse } from "node:http";
import { serve } from "@hono/node-server";
import { baselineApp } from "./app.js";
import { BaselineResponse } from "./node-head.js";
import { openStore } from "./open-store.js";

const url = process.env.DATABASE_URL ?? "";
const store = openStore(url);
const port = Number(process.env.PORT ?? 8100);
const server = serve(
  {
    fetch: baselineApp(store, { secretKey: process.env.SECRET_KEY ?? "" }).fetch,
    port,
    hostname: "127.0.0.1",
    serverOptions: { ServerResponse: BaselineResponse as unknown as typeof ServerResponse },
  },
  (info) => {
    process.stdout.write(
      `baseline listening on http://127.0.0.1:${info.port}/api/v1/ (pid ${process.pid})\n`,
    );
  },
);
const stop = () => server.close(() => void store.close().then(() => process.exit(0)));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
