// An anonymous request (no Authorization header, no cookie) is answered without a promise by
// the header and session authenticators: the view then spends no microtask on each.
import { AuthenticationFailed, Request } from "@x/views";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import {
  JWTAuthentication,
  SessionAuthentication,
  type SimpleJwt,
  TokenAuthentication,
} from "../src/index.js";

async function requestWith(headers: Record<string, string>): Promise<Request> {
  let request: Request | undefined;
  const app = new Hono();
  app.get("/x/", (c) => {
    request = new Request(c);
    return c.text("");
  });
  await app.request("/x/", { headers });
  return request as Request;
}

const Jwt = JWTAuthentication.using({
  settings: { authHeaderTypes: ["Bearer"] },
} as unknown as SimpleJwt<never>);
const Token = TokenAuthentication.using({
  objects: { selectRelated: () => ({ filter: () => ({ first: async () => null }) }) },
});
const Session = SessionAuthentication.using({ getUser: async () => null } as never);

describe("authenticators on an anonymous request", () => {
  it("answer null synchronously without credentials", async () => {
    const anonymous = await requestWith({});
    expect(new Jwt().authenticate(anonymous)).toBeNull();
    expect(new Token().authenticate(anonymous)).toBeNull();
    expect(new Session().authenticate(anonymous)).toBeNull();
    const otherScheme = await requestWith({ authorization: "Basic abc" });
    expect(new Jwt().authenticate(otherScheme)).toBeNull();
    expect(new Token().authenticate(otherScheme)).toBeNull();
  });

  it("still reject malformed or unknown credentials, and look a cookie's session up", async () => {
    await expect(new Jwt().authenticate(await requestWith({ authorization: "Bearer a b" }))).rejects.toThrow(
      AuthenticationFailed,
    );
    await expect(new Token().authenticate(await requestWith({ authorization: "Token" }))).rejects.toThrow(
      "No credentials provided",
    );
    await expect(new Token().authenticate(await requestWith({ authorization: "Token abc" }))).rejects.toThrow(
      "Invalid token.",
    );
    const withCookie = new Session().authenticate(await requestWith({ cookie: "sessionid=x" }));
    expect(withCookie).toBeInstanceOf(Promise);
    expect(await withCookie).toBeNull();
  });
});
