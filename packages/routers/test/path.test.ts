import { CharField, IntegerField, Serializer } from "@x/serializers";
import {
  APIClient,
  APIView,
  apiView,
  PageNumberPagination,
  type Request,
  Response,
  RetrieveAPIView,
  ViewSet,
} from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { DefaultRouter, generateSchema, mount, path, reverse } from "../src/index.js";

class LoginSerializer extends Serializer.of({
  username: new CharField(),
  password: new CharField({ writeOnly: true }),
}) {}
class ItemSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField(),
}) {}

class ObtainToken extends APIView {
  static serializerClass = LoginSerializer;
  async post(request: Request) {
    const data = (await request.data) as { username?: string };
    return new Response({ token: `t-${data.username}`, me: reverse("me", {}, request) });
  }
}

class ItemDetail extends RetrieveAPIView {
  static override serializerClass = ItemSerializer;
  static override paginationClass = PageNumberPagination;
  override async retrieve() {
    return new Response(
      await this.getSerializer({ instance: { id: Number(this.kwargs.pk), name: "Pen" } }).data,
    );
  }
}

const me = apiView(["GET"], async (request) => new Response({ path: request.path }));

class OrderViewSet extends ViewSet {
  list() {
    return new Response([]);
  }
}

function build() {
  const router = new DefaultRouter().register("orders", OrderViewSet, { basename: "order" });
  const app = new Hono();
  const api = mount(app, "/api/:version{v1|v2}/", [
    router,
    path("auth/token/", ObtainToken, { name: "api-token" }),
    path("items/:pk{[0-9]+}/", ItemDetail, { name: "item-detail" }),
    path("users/me/", me, { name: "me" }),
  ]);
  return { app, api };
}

describe("path(): plain views beside routers", () => {
  const { app, api } = build();
  const client = new APIClient(app);

  it("serves APIViews, generic views and function views at named, reversible routes", async () => {
    const token = await client.post("/api/v2/auth/token/", { username: "ada", password: "x" });
    expect(token.data).toEqual({ token: "t-ada", me: "http://testserver/api/v2/users/me/" });
    expect((await client.get("/api/v1/items/4/")).data).toEqual({ id: 4, name: "Pen" });
    expect((await client.get("/api/v1/items/x/")).status).toBe(404);
    expect((await client.get("/api/v1/users/me/")).data).toEqual({ path: "/api/v1/users/me/" });
    expect(api.reverse("item-detail", { version: "v1", pk: 9 })).toBe("/api/v1/items/9/");
    expect(api.resolve("/api/v2/auth/token/")?.viewName).toBe("api-token");
  });

  it("leaves the method handling to the view: 405 with Allow", async () => {
    const res = await client.get("/api/v1/auth/token/");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("keeps the API root to the router's viewsets", async () => {
    expect((await client.get("/api/v1/")).data).toEqual({ orders: "http://testserver/api/v1/orders/" });
  });

  it("documents plain views: the serializer's input as the body, generic views as their action", async () => {
    const doc = await generateSchema({ title: "t", version: "1", mounts: [api], kwargs: { version: "v1" } });
    const login = doc.paths["/api/v1/auth/token/"]?.post;
    expect(login?.operationId).toBe("api_token_post");
    expect(login?.tags).toEqual(["auth"]);
    expect(login?.requestBody?.content["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/LoginRequest",
    });
    expect(login?.responses["200"]?.content?.["application/json"]?.schema).toEqual({});
    const item = doc.paths["/api/v1/items/{pk}/"]?.get;
    expect(item?.operationId).toBe("item_detail_get");
    expect(item?.responses["200"]?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/Item",
    });
    expect(item?.parameters).toEqual([
      { name: "pk", in: "path", required: true, schema: { type: "integer" } },
    ]);
    expect(doc.paths["/api/v1/users/me/"]?.get?.operationId).toBe("me_get");
    expect(Object.keys(doc.paths)).toEqual([
      "/api/v1/orders/",
      "/api/v1/auth/token/",
      "/api/v1/items/{pk}/",
      "/api/v1/users/me/",
    ]);
  });
});
