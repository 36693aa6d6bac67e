// DRF's SchemaGenerator / drf-spectacular: an OpenAPI 3.1 document of mounted routers.

import { type ApiSettings, DEFAULT_SETTINGS, setApiContext } from "@x/views";
import { type Context, Hono } from "hono";
import { mountsOf } from "../mount.js";
import { type PathParts, quotePathValue } from "../path.js";
import type { URLResolver } from "../resolver.js";
import { Components } from "./components.js";
import { declaredSchema, overridesFor } from "./extend-schema.js";
import { inspectView } from "./inspect-view.js";
import { buildOperation } from "./operation.js";
import type { DeclaredSecurityScheme } from "./security.js";
import type { OpenAPIDocument, PathItemObject } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: documents routes of any Hono app
type AnyHono = Hono<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: the schema request runs under a throwaway Hono app
type AnyContext = Context<any, any, any>;

export interface SchemaOptions {
  title: string;
  version: string;
  description?: string;
  servers?: { url: string; description?: string }[];
  /** Document these mounts (what `mount()` returned)… */
  mounts?: readonly URLResolver[];
  /** …or every mount of this app. */
  app?: AnyHono;
  /** The app's API settings (default authentication, permissions, pagination…) where a mount has none. */
  settings?: ApiSettings;
  /**
   * Fixed values of path parameters, written into the paths and handed to the views: `{ version: "v2" }`
   * documents the v2 API of a `/api/:version{v1|v2}/` mount (URLPathVersioning then reports v2).
   */
  kwargs?: Readonly<Record<string, string>>;
  /**
   * Document one API version (drf-spectacular's `api_version`): views answer as `request.version`
   * = this version, a mount's path parameter named `versionParam` (URLPathVersioning) is written in,
   * views of another version namespace (NamespaceVersioning) are left out, and `info.version`
   * reads `"1.0.0 (v2)"`.
   */
  apiVersion?: string;
}

const DOCUMENTED_METHODS = new Set(["get", "post", "put", "patch", "delete"]);

function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();
}

/** The OpenAPI path template with the fixed parameters written in. */
function routeWith(parts: PathParts, fixed: Readonly<Record<string, string>>): string {
  return parts
    .map((p) =>
      typeof p === "string" ? p : p.name in fixed ? quotePathValue(fixed[p.name] as string) : `{${p.name}}`,
    )
    .join("");
}

/** Runs `fn` inside a request of a throwaway app: views need a Hono context to be inspected. */
async function withContext<T>(fn: (c: AnyContext) => Promise<T>): Promise<T> {
  const app = new Hono();
  const box: { value?: T; error?: unknown; done: boolean } = { done: false };
  app.get("*", async (c) => {
    try {
      box.value = await fn(c);
      box.done = true;
    } catch (error) {
      box.error = error;
    }
    return c.body(null, 204);
  });
  await app.request("http://schema.invalid/");
  if (!box.done) throw box.error;
  return box.value as T;
}

export async function generateSchema(options: SchemaOptions): Promise<OpenAPIDocument> {
  const mounts = options.mounts ?? (options.app ? mountsOf(options.app) : []);
  const namespaces = new Set(mounts.map((m) => m.namespace));
  const components = new Components();
  const schemes = new Map<string, DeclaredSecurityScheme>();
  const paths: Record<string, PathItemObject> = {};
  const tags = new Set<string>();
  const usedIds = new Set<string>();
  const { apiVersion } = options;

  await withContext(async (c) => {
    for (const mount of mounts) {
      const settings = mount.settings ?? options.settings ?? DEFAULT_SETTINGS;
      const fixed =
        apiVersion === undefined
          ? (options.kwargs ?? {})
          : { ...options.kwargs, [settings.versionParam]: apiVersion };
      setApiContext(c, {
        resolver: mount,
        settings,
        ...(mount.namespace ? { namespace: mount.namespace } : {}),
      });
      const idPrefix = namespaces.size > 1 && mount.namespace ? `${snake(mount.namespace)}_` : "";
      for (const mounted of mount.urls) {
        const { pattern } = mounted;
        const viewClass = pattern.viewClass;
        if ((viewClass as { excludeFromSchema?: boolean }).excludeFromSchema) continue;
        const entries = Object.entries(pattern.mapping).filter(([m]) => DOCUMENTED_METHODS.has(m));
        const actionCount = new Map<string, number>();
        for (const [, action] of entries) actionCount.set(action, (actionCount.get(action) ?? 0) + 1);
        for (const [method, action] of entries) {
          const override = { ...declaredSchema(pattern, action), ...overridesFor(viewClass, action) };
          if (override.exclude) continue;
          setApiContext(c, { routeName: pattern.name });
          const facts = await inspectView(
            viewClass,
            pattern.initkwargs,
            action,
            settings,
            c,
            fixed,
            apiVersion,
          );
          if (!facts) continue;
          let operationId =
            pattern.kind === "view"
              ? `${idPrefix}${snake(`${pattern.name || pattern.route || "root"}_${method}`)}`
              : `${idPrefix}${snake(`${pattern.basename ?? "api"}_${action}`)}`;
          if (pattern.kind !== "view" && (actionCount.get(action) ?? 0) > 1) operationId += `_${method}`;
          const unique = operationId;
          for (let i = 2; usedIds.has(operationId); i += 1) operationId = `${unique}_${i}`;
          usedIds.add(operationId);
          const operation = buildOperation({
            pattern,
            params: mounted.params.filter((p) => !(p.name in fixed)),
            method,
            action,
            facts,
            override,
            operationId,
            components,
            schemes,
          });
          for (const tag of operation.tags ?? []) tags.add(tag);
          const route = routeWith(mounted.parts, fixed);
          paths[route] ??= {};
          (paths[route] as PathItemObject)[method as "get"] = operation;
        }
      }
    }
  });

  const document: OpenAPIDocument = {
    openapi: "3.1.0",
    info: {
      title: options.title,
      version: apiVersion === undefined ? options.version : `${options.version} (${apiVersion})`,
      ...(options.description ? { description: options.description } : {}),
    },
    ...(options.servers ? { servers: options.servers } : {}),
    paths,
    components: { schemas: components.schemas },
    tags: [...tags].sort().map((name) => ({ name })),
  };
  if (schemes.size) {
    document.components.securitySchemes = Object.fromEntries(
      [...schemes.values()].map((s) => [s.name, s.scheme]),
    );
  }
  return document;
}
