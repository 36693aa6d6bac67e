import { assertNumQueries, captureQueries, ValidationError as ModelValidationError } from "@x/models";
import { ModelSerializer } from "@x/serializers";
import {
  APIClient,
  APIView,
  defineSettings,
  MemoryCache,
  ModelViewSet,
  type Request,
  Response,
  setDefaultCache,
} from "@x/views";
import { Hono } from "hono";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AbstractUserInstance,
  type AuthBackend,
  assignPerm,
  BasicAuthentication,
  DjangoModelPermissions,
  DjangoObjectPermissions,
  Group,
  getObjectsForUser,
  IsAuthenticated,
  JWTAuthentication,
  modelBackend,
  modelSessionStore,
  modelTokenStore,
  ObjectPermissionsFilter,
  ObtainAuthToken,
  PasswordResetTokenGenerator,
  Permission,
  removePerm,
  SessionAuthentication,
  sessionEngine,
  simpleJwt,
  TokenAuthentication,
  TokenObtainPairView,
  TokenRefreshView,
  userService,
} from "../src/index.js";
import { auth, Document, Product, setupDatabase, User, users } from "./support/db.js";

type UserRow = InstanceType<typeof User>;

const db = await setupDatabase();
beforeEach(async () => {
  setDefaultCache(new MemoryCache());
  await db.reset();
});
afterAll(async () => {
  await db.tdb.close();
});

const jwt = simpleJwt({
  signingKey: "db-test-secret",
  users,
  store: modelTokenStore(auth),
  rotateRefreshTokens: true,
  blacklistAfterRotation: true,
  getToken: (user, token) => {
    token.set("username", user.username);
    token.set("email", user.email);
    token.set("is_staff", user.is_staff);
  },
});
const sessions = sessionEngine({ store: modelSessionStore(auth), users, secretKey: "db-test-secret" });
const settings = defineSettings({
  defaultAuthenticationClasses: [
    JWTAuthentication.using(jwt),
    SessionAuthentication.using(sessions),
    TokenAuthentication.using(auth.Token),
    BasicAuthentication.using(users),
  ],
});

class Me extends APIView {
  static override permissionClasses = [IsAuthenticated];
  get(request: Request) {
    return new Response({ id: request.user.pk });
  }
}

class CustomAuthToken extends ObtainAuthToken {
  override async post(request: Request) {
    const serializer = new this.serializerClass({ data: await request.data, context: { request } });
    await serializer.isValid({ raiseException: true });
    const user = serializer.validatedData.user as UserRow;
    const [token] = await this.getOrCreateToken(user);
    return new Response({ token: token.key, user_id: user.pk, email: user.email, username: user.username });
  }
}

class SessionLogin extends APIView {
  static override authenticationClasses = [];
  async post(request: Request) {
    const { username, password } = (await request.data) as { username: string; password: string };
    const user = await users.authenticate({ username, password });
    if (!user) return new Response({ detail: "no" }, { status: 400 });
    const response = new Response({});
    await sessions.login(request, user, response);
    return response;
  }
}

class ProductView extends APIView {
  static override permissionClasses = [DjangoModelPermissions];
  queryset = Product.objects.all();
  get() {
    return new Response([]);
  }
  post() {
    return new Response({}, { status: 201 });
  }
  delete() {
    return Response.empty();
  }
}

class DocumentSerializer extends ModelSerializer.of({
  model: Document,
  fields: ["id", "title", "owner"],
  readOnlyFields: ["owner"],
}) {}

class DocumentViewSet extends ModelViewSet {
  static override permissionClasses = [IsAuthenticated];
  static override serializerClass = DocumentSerializer;
  override getQueryset() {
    // QuerySet → views' QuerySetLike: the two packages' get() signatures differ (reported to views/models).
    return getObjectsForUser(this.request.user as UserRow, "documents.view_document", {
      klass: Document,
    }) as never;
  }
  override async performCreate(serializer: DocumentSerializer) {
    const document = await serializer.save({ owner: this.request.user });
    for (const perm of ["view_document", "change_document", "delete_document"])
      await assignPerm(perm, this.request.user as UserRow, document);
  }
}

function app() {
  const hono = new Hono();
  hono.get("/me/", Me.asView({ settings }));
  hono.post("/auth/token/", CustomAuthToken.asView({ settings, users, tokenModel: auth.Token }));
  hono.post("/auth/jwt/", TokenObtainPairView.asView({ settings, jwt }));
  hono.post("/auth/jwt/refresh/", TokenRefreshView.asView({ settings, jwt }));
  hono.post("/auth/session/", SessionLogin.asView({ settings }));
  hono.all("/products/", ProductView.asView({ settings }));
  hono.on(
    ["GET", "POST"],
    "/documents/",
    DocumentViewSet.asView({ get: "list", post: "create" }, { settings }),
  );
  hono.on(
    ["GET", "DELETE"],
    "/documents/:pk/",
    DocumentViewSet.asView({ get: "retrieve", delete: "destroy" }, { settings }),
  );
  return new APIClient(hono);
}

const basic = (username: string, password = "shop-pass-123") => ({
  Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`,
});

describe("fixture users authenticate with shop-pass-123 by every scheme", () => {
  it("Basic", async () => {
    const res = await app().get("/me/", { headers: basic("manager") });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: 2 });
  });

  it("Token (the handbook's CustomAuthToken), one token per user", async () => {
    const client = app();
    const res = await client.post("/auth/token/", { username: "edsger4", password: "shop-pass-123" });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      token: expect.stringMatching(/^[0-9a-f]{40}$/),
      user_id: 4,
      email: "edsger4@example.com",
      username: "edsger4",
    });
    const again = await client.post("/auth/token/", { username: "edsger4", password: "shop-pass-123" });
    expect(again.data.token).toBe(res.data.token);
    expect(await auth.Token.objects.count()).toBe(1);
    const me = await client.get("/me/", { headers: { Authorization: `Token ${res.data.token}` } });
    expect(me.data).toEqual({ id: 4 });
    const wrong = await client.post("/auth/token/", { username: "edsger4", password: "nope" });
    expect(wrong.status).toBe(400);
    expect(wrong.data).toEqual({ non_field_errors: ["Unable to log in with provided credentials."] });
  });

  it("JWT", async () => {
    const client = app();
    const pair = await client.post("/auth/jwt/", { username: "guido5", password: "shop-pass-123" });
    expect(pair.status).toBe(200);
    const me = await client.get("/me/", { headers: { Authorization: `Bearer ${pair.data.access}` } });
    expect(me.data).toEqual({ id: 5 });
    expect(await auth.OutstandingToken.objects.filter({ user_id: 5 }).count()).toBe(1);
  });

  it("Session", async () => {
    const client = app();
    expect(
      (await client.post("/auth/session/", { username: "admin", password: "shop-pass-123" })).status,
    ).toBe(200);
    expect(await auth.Session.objects.count()).toBe(1);
    expect((await client.get("/me/")).data).toEqual({ id: 1 });
  });

  it("the inactive user by none of them", async () => {
    const client = app();
    expect((await client.get("/me/", { headers: basic("inactive") })).status).toBe(401);
    expect(
      (await client.post("/auth/token/", { username: "inactive", password: "shop-pass-123" })).status,
    ).toBe(400);
    expect(
      (await client.post("/auth/jwt/", { username: "inactive", password: "shop-pass-123" })).status,
    ).toBe(401);
    expect(
      (await client.post("/auth/session/", { username: "inactive", password: "shop-pass-123" })).status,
    ).toBe(400);
  });

  it("re-hashes the Django hash with scrypt on the first login", async () => {
    expect((await User.objects.get({ username: "manager" })).password.startsWith("pbkdf2_sha256$")).toBe(
      true,
    );
    await users.authenticate({ username: "manager", password: "shop-pass-123" });
    const upgraded = (await User.objects.get({ username: "manager" })).password;
    expect(upgraded.startsWith("scrypt$")).toBe(true);
    expect(await users.authenticate({ username: "manager", password: "shop-pass-123" })).not.toBeNull();
  });
});

describe("queries per authenticated request", () => {
  it("token and JWT: one query each; session: two", async () => {
    const client = app();
    const token = (await client.post("/auth/token/", { username: "edsger4", password: "shop-pass-123" })).data
      .token;
    const access = (await client.post("/auth/jwt/", { username: "edsger4", password: "shop-pass-123" })).data
      .access;
    await client.post("/auth/session/", { username: "edsger4", password: "shop-pass-123" });
    const count = async (headers: Record<string, string>, cookies: boolean) => {
      const jar = new Map(client.cookies);
      if (!cookies) client.cookies.clear();
      const { result, queries } = await captureQueries(() => client.get("/me/", { headers }));
      for (const [k, v] of jar) client.cookies.set(k, v);
      expect(result.status).toBe(200);
      return queries.length;
    };
    expect(await count({ Authorization: `Token ${token}` }, false)).toBe(1);
    expect(await count({ Authorization: `Bearer ${access}` }, false)).toBe(1);
    expect(await count({}, true)).toBe(2);
  });
});

describe("TokenAuthentication security", () => {
  it("refuses unknown keys, inactive users and malformed headers", async () => {
    const client = app();
    const inactive = await User.objects.get({ username: "inactive" });
    const token = await auth.Token.objects.create({ user: inactive });
    expect(token.key).toMatch(/^[0-9a-f]{40}$/);
    const cases: [string, string][] = [
      [`Token ${"0".repeat(40)}`, "Invalid token."],
      [
        "Token '; DROP TABLE authtoken_token; --",
        "Invalid token header. Token string should not contain spaces.",
      ],
      ["Token nothex", "Invalid token."],
      [`Token ${token.key}`, "User inactive or deleted."],
      ["Token", "Invalid token header. No credentials provided."],
      [`Token ${token.key} ${token.key}`, "Invalid token header. Token string should not contain spaces."],
    ];
    for (const [header, detail] of cases) {
      const res = await client.get("/me/", { headers: { Authorization: header } });
      expect(res.status, header).toBe(401);
      expect(res.data).toEqual({ detail });
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    }
  });
});

describe("users, groups and permissions", () => {
  it("hasPerm through groups, own permissions and superuser; inactive users have none", async () => {
    const [admin, manager, inactive, edsger] = await Promise.all(
      ["admin", "manager", "inactive", "edsger4"].map((username) => User.objects.get({ username })),
    );
    expect(await manager!.hasPerm("products.add_product")).toBe(true);
    expect(await manager!.hasPerms(["products.add_product", "products.delete_product"])).toBe(true);
    expect(await manager!.hasPerm("documents.add_document")).toBe(false);
    expect(await edsger!.hasPerm("products.add_product")).toBe(false);
    expect(await admin!.hasPerm("anything.at_all")).toBe(true);
    const perm = await Permission.objects.get({ app_label: "products", codename: "view_product" });
    await inactive!.related("user_permissions").add(perm);
    expect(await inactive!.hasPerm("products.view_product")).toBe(false);
    expect([...(await manager!.getAllPermissions())].sort()).toEqual([
      "products.add_product",
      "products.change_product",
      "products.delete_product",
      "products.view_product",
    ]);
  });

  it("reads every permission in one query, whatever the number of groups", async () => {
    const edsger = await User.objects.get({ username: "edsger4" });
    const perms = await Permission.objects.filter({ app_label: "documents" });
    for (let i = 0; i < 5; i++) {
      const group = await Group.objects.create({ name: `g${i}` });
      await group.related("permissions").add(perms[i % perms.length]!);
      await edsger.related("groups").add(group);
    }
    await edsger.related("user_permissions").add(await Permission.objects.get({ codename: "view_product" }));
    const fresh = await User.objects.get({ pk: edsger.pk });
    const { result, queries } = await captureQueries(() => fresh.getAllPermissions());
    expect(queries).toHaveLength(1);
    expect(result.size).toBe(5);
    await assertNumQueries(0, () => fresh.hasPerms(["documents.add_document", "products.view_product"]));
  });

  it("authentication backends are pluggable (an e-mail backend after the model backend)", async () => {
    const byEmail: AuthBackend<AbstractUserInstance> = {
      async authenticate({ username, password }) {
        const user = (await User.objects
          .filter({ email__iexact: username })
          .first()) as AbstractUserInstance | null;
        return user?.is_active && (await user.checkPassword(password)) ? user : null;
      },
    };
    const service = userService(User, { backends: [modelBackend(User), byEmail] });
    expect(
      (await service.authenticate({ username: "EDSGER4@example.com", password: "shop-pass-123" }))?.pk,
    ).toBe(4);
    expect((await service.authenticate({ username: "edsger4", password: "shop-pass-123" }))?.pk).toBe(4);
    expect(
      await service.authenticate({ username: "inactive@example.com", password: "shop-pass-123" }),
    ).toBeNull();
    expect(
      await users.authenticate({ username: "edsger4@example.com", password: "shop-pass-123" }),
    ).toBeNull();
  });

  it("creates add/change/delete/view permissions per model once", async () => {
    const names = (await Permission.objects
      .filter({ app_label: "products" })
      .orderBy("codename")
      .valuesList("name", { flat: true })) as string[];
    expect(names).toEqual([
      "Can add product",
      "Can change product",
      "Can delete product",
      "Can view product",
    ]);
  });

  it("createUser / createSuperuser and Django's username rule", async () => {
    const ann = await users.createUser("ann", "Ann@EXAMPLE.COM", "a-long-password");
    expect(ann.email).toBe("Ann@example.com");
    expect(ann.password.startsWith("scrypt$")).toBe(true);
    expect(await ann.checkPassword("a-long-password")).toBe(true);
    expect(ann.is_staff).toBe(false);
    const root = await users.createSuperuser("root", "root@example.com", "a-long-password");
    expect([root.is_staff, root.is_superuser]).toEqual([true, true]);
    await expect(users.createSuperuser("x", null, "p", { is_staff: false })).rejects.toThrow(
      "Superuser must have is_staff=True.",
    );
    const bad = new User({ username: "no spaces!", password: "x", email: "" });
    try {
      await bad.fullClean();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelValidationError);
      expect((e as ModelValidationError).messageDict.username).toEqual([
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
      ]);
    }
  });

  it("DjangoModelPermissions on a real model: anonymous 401, without permission 403", async () => {
    const client = app();
    expect((await client.post("/products/", {})).status).toBe(401);
    expect((await client.post("/products/", {}, { headers: basic("edsger4") })).status).toBe(403);
    expect((await client.post("/products/", {}, { headers: basic("manager") })).status).toBe(201);
    expect((await client.post("/products/", {}, { headers: basic("admin") })).status).toBe(201);
    expect((await client.get("/products/", { headers: basic("edsger4") })).status).toBe(200);
  });
});

describe("JWT tokens in the database", () => {
  it("rotation blacklists, flush deletes expired rows, logout everywhere", async () => {
    const client = app();
    const pair = (await client.post("/auth/jwt/", { username: "guido5", password: "shop-pass-123" })).data;
    const rotated = await client.post("/auth/jwt/refresh/", { refresh: pair.refresh });
    expect(rotated.status).toBe(200);
    const reuse = await client.post("/auth/jwt/refresh/", { refresh: pair.refresh });
    expect(reuse.data).toEqual({ detail: "Token is blacklisted", code: "token_not_valid" });
    expect(await auth.BlacklistedToken.objects.count()).toBe(1);
    const guido = await User.objects.get({ username: "guido5" });
    expect(await jwt.logoutEverywhere(guido)).toBe(1);
    expect((await client.post("/auth/jwt/refresh/", { refresh: rotated.data.refresh })).status).toBe(401);
    expect(await jwt.flushExpiredTokens(new Date(Date.now() + 2 * 86400_000))).toBe(2);
    expect(await auth.BlacklistedToken.objects.count()).toBe(0);
  });

  it("a deleted user's token stops working", async () => {
    const client = app();
    const pair = (await client.post("/auth/jwt/", { username: "guido5", password: "shop-pass-123" })).data;
    await User.objects.filter({ username: "guido5" }).delete();
    const res = await client.get("/me/", { headers: { Authorization: `Bearer ${pair.access}` } });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ detail: "User not found", code: "user_not_found" });
  });
});

describe("object permissions (guardian)", () => {
  it("assign/remove per object for users and groups; hasPerm(perm, obj)", async () => {
    const [edsger, guido] = await Promise.all(
      ["edsger4", "guido5"].map((username) => User.objects.get({ username })),
    );
    const doc = await Document.objects.create({ title: "plan", owner: edsger! });
    await assignPerm("change_document", edsger!, doc);
    expect(await edsger!.hasPerm("documents.change_document", doc)).toBe(true);
    expect(await guido!.hasPerm("documents.change_document", doc)).toBe(false);
    const editors = await Group.objects.create({ name: "Editors" });
    await guido!.related("groups").add(editors);
    await assignPerm("documents.change_document", editors, doc);
    expect(await guido!.hasPerm("documents.change_document", doc)).toBe(true);
    await removePerm("change_document", edsger!, doc);
    expect(await edsger!.hasPerm("documents.change_document", doc)).toBe(false);
  });

  it("getObjectsForUser is one query", async () => {
    const edsger = await User.objects.get({ username: "edsger4" });
    const docs = await Promise.all(
      ["a", "b", "c"].map((title) => Document.objects.create({ title, owner: edsger })),
    );
    await assignPerm("view_document", edsger, docs[0]!);
    await assignPerm("view_document", edsger, docs[2]!);
    const qs = getObjectsForUser(edsger, "documents.view_document", { klass: Document });
    const { result, queries } = await captureQueries(async () => await qs.orderBy("title"));
    expect(queries).toHaveLength(1);
    expect(result.map((d) => d.title)).toEqual(["a", "c"]);
    // A model-level permission (here through a group) grants every object, still in one query.
    const readers = await Group.objects.create({ name: "Readers" });
    await readers.related("permissions").add(await Permission.objects.get({ codename: "view_document" }));
    await edsger.related("groups").add(readers);
    const all = await captureQueries(
      async () => await getObjectsForUser(edsger, "view_document", { klass: Document }).orderBy("title"),
    );
    expect(all.queries).toHaveLength(1);
    expect(all.result.map((d) => d.title)).toEqual(["a", "b", "c"]);
    const objectOnly = getObjectsForUser(edsger, "view_document", {
      klass: Document,
      acceptGlobalPerms: false,
    });
    expect((await objectOnly.orderBy("title")).map((d) => d.title)).toEqual(["a", "c"]);
    const guido = await User.objects.get({ username: "guido5" });
    expect(await getObjectsForUser(guido, "view_document", { klass: Document })).toEqual([]);
  });

  it("the handbook's DocumentViewSet", async () => {
    const client = app();
    const created = await client.post("/documents/", { title: "mine" }, { headers: basic("edsger4") });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ title: "mine", owner: 4 });
    await client.post("/documents/", { title: "theirs" }, { headers: basic("guido5") });
    const list = await client.get("/documents/", { headers: basic("edsger4") });
    expect(list.data.map((d: { title: string }) => d.title)).toEqual(["mine"]);
    const other = await client.get(`/documents/${created.data.id}/`, { headers: basic("guido5") });
    expect(other.status).toBe(404);
    expect((await client.get("/documents/")).status).toBe(401);
  });

  it("ObjectPermissionsFilter limits a list", async () => {
    const edsger = await User.objects.get({ username: "edsger4" });
    const doc = await Document.objects.create({ title: "x", owner: edsger });
    await Document.objects.create({ title: "y", owner: edsger });
    await assignPerm("view_document", edsger, doc);
    const request = { user: edsger } as unknown as Request;
    const filtered = await new ObjectPermissionsFilter().filterQueryset(
      request,
      Document.objects.all(),
      {} as never,
    );
    expect((await filtered).map((d) => d.title)).toEqual(["x"]);
  });
});

describe("DjangoObjectPermissions with stored users", () => {
  class DocumentDetail extends APIView {
    static override permissionClasses = [DjangoObjectPermissions];
    queryset = Document.objects.all();
    async put(request: Request) {
      const doc = await Document.objects.get({ pk: Number(this.kwargs.pk) });
      await this.checkObjectPermissions(request, doc);
      return new Response({ id: doc.pk });
    }
  }

  it("needs the model permission and the object permission", async () => {
    const hono = new Hono();
    hono.put("/docs/:pk/", DocumentDetail.asView({ settings }));
    const client = new APIClient(hono);
    const edsger = await User.objects.get({ username: "edsger4" });
    const mine = await Document.objects.create({ title: "mine", owner: edsger });
    const other = await Document.objects.create({ title: "other", owner: edsger });
    expect((await client.put(`/docs/${mine.pk}/`, {}, { headers: basic("edsger4") })).status).toBe(403);
    await edsger
      .related("user_permissions")
      .add(await Permission.objects.get({ codename: "change_document" }));
    await assignPerm("change_document", edsger, mine);
    expect((await client.put(`/docs/${mine.pk}/`, {}, { headers: basic("edsger4") })).status).toBe(200);
    expect((await client.put(`/docs/${other.pk}/`, {}, { headers: basic("edsger4") })).status).toBe(403);
    expect((await client.put(`/docs/${other.pk}/`, {})).status).toBe(401);
  });
});

describe("expired rows", () => {
  it("clears expired sessions", async () => {
    await auth.Session.objects.create({
      session_key: "a".repeat(32),
      session_data: "{}",
      expire_date: new Date(Date.now() - 1000),
    });
    await auth.Session.objects.create({
      session_key: "b".repeat(32),
      session_data: "{}",
      expire_date: new Date(Date.now() + 60_000),
    });
    const store = modelSessionStore(auth);
    expect(await store.load("a".repeat(32))).toBeNull();
    expect(await store.load("b".repeat(32))).toEqual({});
    expect(await store.clearExpired()).toBe(1);
    expect(await auth.Session.objects.count()).toBe(1);
  });
});

describe("password reset with a stored user", () => {
  it("a token is single-use: a password change voids it", async () => {
    const generator = new PasswordResetTokenGenerator({ secretKey: "reset" });
    const user = await User.objects.get({ username: "edsger4" });
    const token = generator.makeToken(user);
    expect(generator.checkToken(user, token)).toBe(true);
    await user.setPassword("another-password");
    await user.save();
    expect(generator.checkToken(await User.objects.get({ pk: user.pk }), token)).toBe(false);
  });
});
