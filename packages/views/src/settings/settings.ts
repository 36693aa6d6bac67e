// One typed settings object per application (DRF's REST_FRAMEWORK dict),
// validated once at startup with valibot: a bad value stops startup with a
// message naming the setting.
import * as v from "valibot";
import { ImproperlyConfigured } from "../exceptions/api-exception.js";
import type { ExceptionHandler } from "../exceptions/handler.js";
import { exceptionHandler } from "../exceptions/handler.js";
import type {
  AuthenticationClass,
  FilterBackendClass,
  PaginationClass,
  PermissionClass,
  ThrottleClass,
  VersioningClass,
} from "../interfaces.js";
import { FormParser, JSONParser, MultiPartParser, type ParserClass } from "../request/parsers.js";
import type { ContentNegotiationClass } from "../response/negotiation.js";
import { DefaultContentNegotiation } from "../response/negotiation.js";
import { JSONRenderer, type RendererClass } from "../response/renderers.js";
import type { MetadataClass } from "../views/metadata.js";
import { SimpleMetadata } from "../views/metadata.js";

export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface ApiSettings {
  defaultAuthenticationClasses: readonly AuthenticationClass[];
  defaultPermissionClasses: readonly PermissionClass[];
  defaultThrottleClasses: readonly ThrottleClass[];
  /** Rates by scope: `{ anon: "100/day", user: "1000/day", burst: "60/min" }`. */
  defaultThrottleRates: Readonly<Record<string, string | null>>;
  defaultPaginationClass: PaginationClass | null;
  pageSize: number | null;
  defaultFilterBackends: readonly FilterBackendClass[];
  defaultVersioningClass: VersioningClass | null;
  defaultVersion: string | null;
  allowedVersions: readonly string[] | null;
  versionParam: string;
  defaultRendererClasses: readonly RendererClass[];
  defaultParserClasses: readonly ParserClass[];
  defaultContentNegotiationClass: ContentNegotiationClass;
  defaultMetadataClass: MetadataClass | null;
  exceptionHandler: ExceptionHandler;
  /** `?format=json` picks a renderer (DRF's URL_FORMAT_OVERRIDE); null disables it. */
  urlFormatOverride: string | null;
  searchParam: string;
  orderingParam: string;
  /** Largest accepted request body in bytes (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB). */
  maxBodySize: number;
  /** Number of trusted reverse proxies in front of the app (X-Forwarded-For is ignored when 0). */
  numProxies: number;
  /** Where 500s are logged (with the request id). */
  logger: Logger;
  /** Run each view in one database transaction, rolled back when it raises (Django's ATOMIC_REQUESTS). */
  atomicRequests: boolean;
}

export type SettingsInput = Partial<ApiSettings>;

const consoleLogger: Logger = {
  error: (message, meta) => console.error(message, meta ?? ""),
  warn: (message, meta) => console.warn(message, meta ?? ""),
};

export const DEFAULTS: ApiSettings = Object.freeze({
  defaultAuthenticationClasses: [],
  defaultPermissionClasses: [],
  defaultThrottleClasses: [],
  defaultThrottleRates: {},
  defaultPaginationClass: null,
  pageSize: null,
  defaultFilterBackends: [],
  defaultVersioningClass: null,
  defaultVersion: null,
  allowedVersions: null,
  versionParam: "version",
  defaultRendererClasses: [JSONRenderer],
  defaultParserClasses: [JSONParser, FormParser, MultiPartParser],
  defaultContentNegotiationClass: DefaultContentNegotiation,
  defaultMetadataClass: SimpleMetadata,
  exceptionHandler,
  urlFormatOverride: "format",
  searchParam: "search",
  orderingParam: "ordering",
  maxBodySize: 2_621_440,
  numProxies: 0,
  logger: consoleLogger,
  atomicRequests: false,
});

const classList = v.array(v.function("expected a class"));
const rate = v.nullable(
  v.pipe(
    v.string(),
    v.regex(/^\d+\/(s|sec|second|m|min|minute|h|hour|d|day)$/, 'expected "N/s|sec|m|min|h|hour|d|day"'),
  ),
);

const schema = v.strictObject({
  defaultAuthenticationClasses: v.optional(classList),
  defaultPermissionClasses: v.optional(classList),
  defaultThrottleClasses: v.optional(classList),
  defaultThrottleRates: v.optional(v.record(v.string(), rate)),
  defaultPaginationClass: v.optional(v.nullable(v.function("expected a class"))),
  pageSize: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1)))),
  defaultFilterBackends: v.optional(classList),
  defaultVersioningClass: v.optional(v.nullable(v.function("expected a class"))),
  defaultVersion: v.optional(v.nullable(v.string())),
  allowedVersions: v.optional(v.nullable(v.array(v.string()))),
  versionParam: v.optional(v.pipe(v.string(), v.minLength(1))),
  defaultRendererClasses: v.optional(v.pipe(classList, v.minLength(1, "at least one renderer"))),
  defaultParserClasses: v.optional(classList),
  defaultContentNegotiationClass: v.optional(v.function("expected a class")),
  defaultMetadataClass: v.optional(v.nullable(v.function("expected a class"))),
  exceptionHandler: v.optional(v.function("expected a function")),
  urlFormatOverride: v.optional(v.nullable(v.string())),
  searchParam: v.optional(v.pipe(v.string(), v.minLength(1))),
  orderingParam: v.optional(v.pipe(v.string(), v.minLength(1))),
  maxBodySize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  numProxies: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  logger: v.optional(v.looseObject({ error: v.function(), warn: v.function() })),
  atomicRequests: v.optional(v.boolean()),
});

/** Validates `input` over DRF's defaults; throws ImproperlyConfigured naming the first bad setting. */
export function defineSettings(input: SettingsInput = {}): ApiSettings {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue ? v.getDotPath(issue) : null;
    const message = result.issues.map((i) => `${v.getDotPath(i) ?? "settings"}: ${i.message}`).join("; ");
    throw new ImproperlyConfigured(`Invalid API setting ${path ?? ""}: ${message}`.replace("  ", " "));
  }
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return Object.freeze({ ...DEFAULTS, ...defined });
}

export type Environment = "development" | "production" | "testing";
type Layer = SettingsInput | ((env: NodeJS.ProcessEnv) => SettingsInput);

export interface LayeredSettings {
  base: Layer;
  development?: Layer;
  production?: Layer;
  testing?: Layer;
}

/**
 * The handbook's settings package (base.py + development/production/testing.py):
 * `base`, then the layer named by `APP_ENV` (or NODE_ENV: "test" → testing), each
 * layer a plain object or a function of the environment variables.
 */
export function layeredSettings(layers: LayeredSettings, env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const name = (
    env.APP_ENV ??
    (env.NODE_ENV === "test" ? "testing" : env.NODE_ENV) ??
    "development"
  ).toLowerCase();
  if (name !== "development" && name !== "production" && name !== "testing") {
    throw new ImproperlyConfigured(`Invalid APP_ENV "${name}": expected development, production or testing`);
  }
  const resolve = (layer: Layer | undefined): SettingsInput =>
    layer === undefined ? {} : typeof layer === "function" ? layer(env) : layer;
  return defineSettings({ ...resolve(layers.base), ...resolve(layers[name]) });
}
