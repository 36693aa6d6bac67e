// What views declare for the schema themselves: an action's `schema` option, a plain
// view's `static schema`, serializer classes inside a JSON Schema, paginated actions,
// and @x/auth's views — and the documented bodies match what the views really answer.
import { Validator } from "@seriousme/openapi-schema-validator";
import {
  AuthTokenSerializer,
  ObtainAuthToken,
  PasswordChangeView,
  TokenBlacklistView,
  TokenObtainPairView,
  TokenRefreshView,
  TokenVerifyView,
} from "@x/auth";
import {
  BooleanField,
  CharField,
  ChoiceField,
  IntegerField,
  ReadOnlyField,
  Serializer,
} from "@x/serializers";
import {
  type ActionsOf,
  AllowAny,
  APIClient,
  APIView,
  GenericViewSet,
  type OperationSchema,
  PageNumberPagination,
  type Request,
  Response,
} from "@x/views";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Hono } from "hono";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DefaultRouter,
  extendSchema,
  generateSchema,
  type JsonSchema,
  mount,
  type OpenAPIDocument,
  path,
} from "../src/index.js";

class NoteSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  text: new CharField(),
  status: new ChoiceField({
    choices: [
      ["draft", "Draft"],
      ["published", "Published"],
    ],
    readOnly: true,
  }),
  is_long: new ReadOnlyField({ output: v.boolean() }),
}) {}
class PinSerializer extends Serializer.of({ pinned: new BooleanField({ readOnly: true }) }) {}
class TagSerializer extends Serializer.of({ name: new CharField() }) {}
class NoteCreateSerializer extends Serializer.of({
  text: new CharField(),
  tags: new TagSerializer({ many: true, writeOnly: true }),
}) {}

const NOTES = [
  { id: 1, text: "first", status: "draft", is_long: false },
  { id: 2, text: "a second, longer note", status: "published", is_long: true },
];

class Pages extends PageNumberPagination {
  override pageSize = 1;
}

class NoteViewSet extends GenericViewSet {
  static override permissionClasses = [AllowAny];
  static override authenticationClasses = [];
  static override paginationClass = Pages;
  static override actions: ActionsOf<NoteViewSet> = {
    pin: { detail: true, methods: ["post"], schema: { request: null, responses: { 200: PinSerializer } } },
    history: {
      detail: true,
      schema: { responses: { 200: { type: "array", items: NoteSerializer } } },
    },
    browse: { detail: false, schema: { paginated: true, responses: { 200: NoteSerializer } } },
    compose: {
      detail: false,
      methods: ["post"],
      serializerClass: NoteCreateSerializer,
      schema: { responses: { 201: NoteSerializer } },
    },
    archive: { detail: true, methods: ["post"], schema: { responses: { 204: null } } },
    hidden: { detail: false, schema: { responses: { 200: PinSerializer } } },
  };
  async pin() {
    return new Response(await new PinSerializer({ instance: { pinned: true } }).data);
  }
  async history() {
    return new Response(await new NoteSerializer({ instance: NOTES, many: true }).data);
  }
  async browse() {
    // a list stands in for a queryset (the paginator slices either)
    const page = ((await this.paginateQueryset(NOTES as never)) ?? NOTES) as typeof NOTES;
    const data = await new NoteSerializer({ instance: page, many: true }).data;
    return this.getPaginatedResponse(data as unknown as unknown[]);
  }
  async compose(request: Request) {
    const input = new NoteCreateSerializer({ data: await request.data });
    await input.isValid({ raiseException: true });
    const note = { id: 3, text: input.validatedData.text, status: "draft", is_long: false };
    return new Response(await new NoteSerializer({ instance: note }).data, { status: 201 });
  }
  archive() {
    return new Response(null, { status: 204 });
  }
  hidden() {
    return new Response({ pinned: false });
  }
}
// extendSchema() wins over what the view declares.
extendSchema(NoteViewSet, { hidden: { responses: { 200: NoteSerializer } } });

class PingSerializer extends Serializer.of({
  message: new CharField({ writeOnly: true }),
  echo: new CharField({ readOnly: true }),
}) {}
class PingView extends APIView {
  static override permissionClasses = [AllowAny];
  static override authenticationClasses = [];
  static serializerClass = PingSerializer;
  static schema: OperationSchema = { responses: { 200: PingSerializer } };
  async post(request: Request) {
    const input = new PingSerializer({ data: await request.data });
    await input.isValid({ raiseException: true });
    return new Response(await new PingSerializer({ instance: { echo: input.validatedData.message } }).data);
  }
}

const users = {
  async authenticate() {
    return null;
  },
  async getById() {
    return null;
  },
};

function build() {
  const app = new Hono();
  const router = new DefaultRouter().register("notes", NoteViewSet, { basename: "note" });
  const resolver = mount(app, "/api/", [
    router,
    path("ping/", PingView, { name: "ping" }),
    path("auth/token/", ObtainAuthToken, { name: "auth-token", initkwargs: { users } }),
    path("auth/jwt/", TokenObtainPairView, { name: "jwt-obtain" }),
    path("auth/jwt/refresh/", TokenRefreshView, { name: "jwt-refresh" }),
    path("auth/jwt/verify/", TokenVerifyView, { name: "jwt-verify" }),
    path("auth/jwt/blacklist/", TokenBlacklistView, { name: "jwt-blacklist" }),
    path("auth/password/change/", PasswordChangeView, { name: "password-change" }),
  ]);
  return { app, resolver };
}

const body = (doc: OpenAPIDocument, route: string, method: "get" | "post", status: string) =>
  doc.paths[route]?.[method]?.responses[status]?.content?.["application/json"]?.schema;
const requestBody = (doc: OpenAPIDocument, route: string) =>
  doc.paths[route]?.post?.requestBody?.content["application/json"]?.schema;

/** `#/components/schemas/X` → a reference into the registered document. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" ? `doc${v}` : rebase(v),
    ]),
  );
}

describe("declared operation schemas", () => {
  let doc: OpenAPIDocument;
  const { app, resolver } = build();
  beforeAll(async () => {
    doc = await generateSchema({ title: "Notes", version: "1", mounts: [resolver] });
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("an action's schema option documents its responses and request", () => {
    expect(body(doc, "/api/notes/{pk}/pin/", "post", "200")).toEqual({ $ref: "#/components/schemas/Pin" });
    expect(doc.paths["/api/notes/{pk}/pin/"]?.post?.requestBody).toBeUndefined();
    expect(body(doc, "/api/notes/{pk}/history/", "get", "200")).toEqual({
      type: "array",
      items: { $ref: "#/components/schemas/Note" },
    });
    expect(doc.paths["/api/notes/{pk}/archive/"]?.post?.responses["204"]).toEqual({ description: "" });
    // the action's serializerClass is its request; its schema says it answers 201 with a Note
    expect(requestBody(doc, "/api/notes/compose/")).toEqual({
      $ref: "#/components/schemas/NoteCreateRequest",
    });
    expect(Object.keys(doc.paths["/api/notes/compose/"]?.post?.responses ?? {})).toEqual(["201", "400"]);
    expect(body(doc, "/api/notes/compose/", "post", "201")).toEqual({ $ref: "#/components/schemas/Note" });
    expect(body(doc, "/api/notes/hidden/", "get", "200")).toEqual({ $ref: "#/components/schemas/Note" });
  });

  it("the schema option is the action's declaration, not a view attribute", () => {
    const pin = NoteViewSet.getExtraActions().find((a) => a.name === "pin");
    expect(pin?.schema).toEqual({ request: null, responses: { 200: PinSerializer } });
    expect(pin?.kwargs).not.toHaveProperty("schema");
    const compose = NoteViewSet.getExtraActions().find((a) => a.name === "compose");
    expect(compose?.kwargs).toEqual({ serializerClass: NoteCreateSerializer });
  });

  it("a paginated action is the pagination class's envelope of its items", () => {
    expect(body(doc, "/api/notes/browse/", "get", "200")).toMatchObject({
      type: "object",
      required: ["count", "results"],
      properties: { results: { type: "array", items: { $ref: "#/components/schemas/Note" } } },
    });
  });

  it("write-only fields (a nested many serializer too) are in the request shape only", () => {
    expect(doc.components.schemas.NoteCreateRequest).toEqual({
      type: "object",
      properties: {
        text: { type: "string", minLength: 1 },
        tags: {
          type: "array",
          items: {
            type: "object",
            properties: { name: { type: "string", minLength: 1 } },
            required: ["name"],
            writeOnly: true,
          },
          writeOnly: true,
        },
      },
      required: ["text", "tags"],
    });
  });

  it("typed read-only values and choices with labels reach the components", () => {
    expect(doc.components.schemas.Note).toMatchObject({
      properties: {
        status: {
          type: "string",
          enum: ["draft", "published"],
          "x-enum-descriptions": ["Draft", "Published"],
          readOnly: true,
        },
        is_long: { type: "boolean", readOnly: true },
      },
    });
  });

  it("a plain view's static schema and serializerClass: write shape in, read shape out", () => {
    expect(requestBody(doc, "/api/ping/")).toEqual({ $ref: "#/components/schemas/PingRequest" });
    expect(doc.components.schemas.PingRequest).toEqual({
      type: "object",
      properties: { message: { type: "string", minLength: 1, writeOnly: true } },
      required: ["message"],
    });
    expect(body(doc, "/api/ping/", "post", "200")).toEqual({ $ref: "#/components/schemas/Ping" });
    expect(doc.components.schemas.Ping).toEqual({
      type: "object",
      properties: { echo: { type: "string", minLength: 1, readOnly: true } },
      required: ["echo"],
    });
  });

  it("documents @x/auth's views: typed credentials in, typed tokens out", () => {
    const schemas = doc.components.schemas;
    expect(requestBody(doc, "/api/auth/jwt/")).toEqual({
      $ref: "#/components/schemas/TokenObtainPairRequest",
    });
    expect(schemas.TokenObtainPairRequest).toMatchObject({
      properties: { username: { type: "string" }, password: { type: "string" } },
      required: ["username", "password"],
    });
    expect(body(doc, "/api/auth/jwt/", "post", "200")).toEqual({
      $ref: "#/components/schemas/TokenObtainPair",
    });
    expect(schemas.TokenObtainPair).toMatchObject({
      properties: { access: { type: "string" }, refresh: { type: "string" } },
      required: ["access", "refresh"],
    });
    expect(requestBody(doc, "/api/auth/jwt/refresh/")).toEqual({
      $ref: "#/components/schemas/TokenRefreshRequest",
    });
    expect(body(doc, "/api/auth/jwt/refresh/", "post", "200")).toMatchObject({ required: ["access"] });
    expect(requestBody(doc, "/api/auth/jwt/verify/")).toEqual({
      $ref: "#/components/schemas/TokenVerifyRequest",
    });
    expect(body(doc, "/api/auth/jwt/verify/", "post", "200")).toEqual({
      type: "object",
      properties: {},
      additionalProperties: false,
    });
    expect(requestBody(doc, "/api/auth/jwt/blacklist/")).toEqual({
      $ref: "#/components/schemas/TokenBlacklistRequest",
    });
    expect(requestBody(doc, "/api/auth/token/")).toEqual({ $ref: "#/components/schemas/AuthTokenRequest" });
    expect(schemas.AuthTokenRequest).toMatchObject({ required: ["username", "password"] });
    expect(body(doc, "/api/auth/token/", "post", "200")).toEqual({ $ref: "#/components/schemas/AuthToken" });
    expect(schemas.AuthToken).toMatchObject({
      properties: { token: { type: "string" } },
      required: ["token"],
    });
    expect(requestBody(doc, "/api/auth/password/change/")).toEqual({
      $ref: "#/components/schemas/PasswordChangeRequest",
    });
    expect(body(doc, "/api/auth/password/change/", "post", "200")).toEqual({
      $ref: "#/components/schemas/Detail",
    });
    // one bound AuthTokenSerializer per user source: the same component every time
    expect(AuthTokenSerializer.using(users)).toBe(AuthTokenSerializer.using(users));
  });

  it("the documented bodies are what the views answer (no undocumented keys)", async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "doc", components: strict(doc.components) });
    const client = new APIClient(app);
    const check = async (method: "get" | "post", url: string, route: string, data?: unknown) => {
      const res = method === "get" ? await client.get(url) : await client.post(url, data);
      expect(res.status, `${url}: ${res.text}`).toBeLessThan(300);
      const schema = body(doc, route, method, String(res.status));
      expect(schema, `${route} documents ${res.status}`).toBeDefined();
      const validate = ajv.compile({ $ref: "#/$defs/body", $defs: { body: rebase(strict(schema)) } });
      expect(validate(res.data), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };
    await check("post", "/api/notes/1/pin/", "/api/notes/{pk}/pin/");
    await check("get", "/api/notes/1/history/", "/api/notes/{pk}/history/");
    await check("get", "/api/notes/browse/", "/api/notes/browse/");
    await check("post", "/api/notes/compose/", "/api/notes/compose/", { text: "x", tags: [{ name: "a" }] });
    await check("post", "/api/ping/", "/api/ping/", { message: "hi" });
    // and a body with a key the schema does not list fails
    const validate = ajv.compile({ $ref: "doc#/components/schemas/Pin" });
    expect(validate({ pinned: true, extra: 1 })).toBe(false);
  });
});

/** Response shapes fix their field set: objects with `properties` get `additionalProperties: false`. */
function strict<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(strict) as T;
  if (schema === null || typeof schema !== "object") return schema;
  const out: JsonSchema = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out as T;
}
