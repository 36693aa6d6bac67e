// drf-spectacular's SpectacularAPIView: the document served as JSON, one per API version.

import { type ApiSettings, DEFAULT_SETTINGS } from "@x/views";
import type { Context, Handler } from "hono";
import { generateSchema, type SchemaOptions } from "./generator.js";

const CONTENT_TYPE = "application/vnd.oai.openapi+json; charset=utf-8";
// DRF's QueryParameterVersioning / URLPathVersioning messages (their NotFound bodies).
const INVALID_QUERY_VERSION = "Invalid version in query parameter.";
const INVALID_PATH_VERSION = "Invalid version in URL path.";

/** The versions a document can be asked for: the settings' allowed versions and the default one. */
export function documentedVersions(settings: ApiSettings): string[] {
  const versions = [settings.defaultVersion, ...(settings.allowedVersions ?? [])];
  return [...new Set(versions.filter((v): v is string => typeof v === "string" && v !== ""))];
}

/**
 * A Hono handler serving the document as JSON. Each document is generated on its first
 * request (every route is mounted by then) and served from memory afterwards.
 *
 * `?version=v2` (the settings' `versionParam`) serves the document of that version
 * (`generateSchema`'s `apiVersion`); mounted on a route with that path parameter
 * (`/api/:version/schema/`) the path picks it. A version outside the settings'
 * `allowedVersions` (or `defaultVersion`) is a 404 `{"detail": "Invalid version in query
 * parameter."}`, as DRF's QueryParameterVersioning answers. Without a version, the document
 * is generated as configured (the mounts' paths as they are, views answering as
 * `defaultVersion`). Settings without versions ignore the parameter: one document.
 */
export function schemaView(options: SchemaOptions): Handler {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const versions = documentedVersions(settings);
  const param = settings.versionParam;
  // At most one entry per allowed version, plus the unversioned one: never grows with requests.
  const cache = new Map<string, Promise<string>>();

  const documentOf = (version: string | undefined): Promise<string> => {
    const key = version ?? "";
    let body = cache.get(key);
    if (!body) {
      const generated = generateSchema(version === undefined ? options : { ...options, apiVersion: version });
      body = generated.then((doc) => JSON.stringify(doc));
      // A failed generation is retried by the next request instead of being served forever.
      body.catch(() => cache.delete(key));
      cache.set(key, body);
    }
    return body;
  };

  return async (c: Context) => {
    const fromPath = c.req.param(param) as string | undefined;
    const requested = fromPath ?? c.req.query(param);
    let version: string | undefined;
    if (requested !== undefined && versions.length > 0) {
      if (!versions.includes(requested)) {
        return c.json({ detail: fromPath === undefined ? INVALID_QUERY_VERSION : INVALID_PATH_VERSION }, 404);
      }
      version = requested;
    }
    return c.body(await documentOf(version), 200, { "Content-Type": CONTENT_TYPE });
  };
}
