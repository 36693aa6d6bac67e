// The generator over @x/auth's and @x/filters' real classes (recognised by name / schemaParameters).

import {
  BasicAuthentication,
  DjangoModelPermissions,
  DjangoModelPermissionsOrAnonReadOnly,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  JWTAuthentication,
  SessionAuthentication,
  TokenAuthentication,
} from "@x/auth";
import { OrderingFilter, SearchFilter } from "@x/filters";
import { CharField, IntegerField, Serializer } from "@x/serializers";
import { AllowAny, GenericViewSet, PageNumberPagination, type PermissionClass, Response } from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { generateSchema, mount, SimpleRouter } from "../src/index.js";

class ItemSerializer extends Serializer.of({
  id: new IntegerField({ readOnly: true }),
  name: new CharField(),
}) {}

class KeywordToken extends TokenAuthentication {
  override keyword = "Bearer";
}

function viewsetWith(permission: PermissionClass) {
  return class ItemViewSet extends GenericViewSet {
    static override serializerClass = ItemSerializer;
    static override authenticationClasses = [
      JWTAuthentication,
      TokenAuthentication,
      SessionAuthentication,
      BasicAuthentication,
    ];
    static override permissionClasses = [permission];
    static override filterBackends = [SearchFilter, OrderingFilter];
    static override paginationClass = PageNumberPagination;
    static searchFields = ["name"];
    static orderingFields = ["name"];
    list() {
      return new Response([]);
    }
    create() {
      return new Response({}, { status: 201 });
    }
  };
}

async function documentFor(permission: PermissionClass) {
  const app = new Hono();
  const resolver = mount(
    app,
    "/api/",
    new SimpleRouter().register("items", viewsetWith(permission), { basename: "item" }),
  );
  return generateSchema({ title: "t", version: "1", mounts: [resolver] });
}

describe("schema with @x/auth and @x/filters classes", () => {
  it("names the security schemes of DRF's four authentication classes", async () => {
    const doc = await documentFor(IsAuthenticated);
    expect(doc.components.securitySchemes).toEqual({
      jwtAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      tokenAuth: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description: 'Token-based authentication with required prefix "Token"',
      },
      cookieAuth: { type: "apiKey", in: "cookie", name: "sessionid" },
      basicAuth: { type: "http", scheme: "basic" },
    });
  });

  it("reads TokenAuthentication's keyword", async () => {
    class V extends viewsetWith(IsAuthenticated) {
      static override authenticationClasses = [KeywordToken];
    }
    const app = new Hono();
    const resolver = mount(app, "/api/", new SimpleRouter().register("items", V, { basename: "item" }));
    const doc = await generateSchema({ title: "t", version: "1", mounts: [resolver] });
    expect(doc.components.securitySchemes?.tokenAuth).toMatchObject({
      description: 'Token-based authentication with required prefix "Bearer"',
    });
  });

  it.each([
    [AllowAny, true, true],
    [IsAuthenticatedOrReadOnly, true, false],
    [DjangoModelPermissionsOrAnonReadOnly, true, false],
    [IsAuthenticated, false, false],
    [IsAdminUser, false, false],
    [DjangoModelPermissions, false, false],
  ] as const)("%o: anonymous reads %s, anonymous writes %s", async (permission, read, write) => {
    const doc = await documentFor(permission);
    const item = doc.paths["/api/items/"];
    expect(item?.get?.security?.some((r) => Object.keys(r).length === 0)).toBe(read);
    expect(item?.post?.security?.some((r) => Object.keys(r).length === 0)).toBe(write);
    expect("401" in (item?.post?.responses ?? {})).toBe(!write);
  });

  it("adds the search, ordering and pagination query parameters to list operations", async () => {
    const doc = await documentFor(AllowAny);
    expect(doc.paths["/api/items/"]?.get?.parameters?.map((p) => p.name)).toEqual([
      "search",
      "ordering",
      "page",
    ]);
    expect(doc.paths["/api/items/"]?.post?.parameters).toBeUndefined();
  });
});
