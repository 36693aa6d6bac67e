import {
  APIClient,
  APIView,
  defineSettings,
  MemoryCache,
  type Request,
  Response,
  setDefaultCache,
} from "@x/views";
import { Hono } from "hono";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  IsAuthenticated,
  MinimumLengthValidator,
  memoryMailBackend,
  modelSessionStore,
  NumericPasswordValidator,
  PasswordChangeView,
  PasswordResetConfirmView,
  PasswordResetTokenGenerator,
  PasswordResetView,
  passwordReset,
  SessionAuthentication,
  SessionLoginView,
  SessionLogoutView,
  sessionEngine,
} from "../src/index.js";
import { auth, setupDatabase, User, users } from "./support/db.js";

const db = await setupDatabase();
beforeEach(async () => {
  setDefaultCache(new MemoryCache());
  await db.reset();
});
afterAll(async () => {
  await db.tdb.close();
});

const sessions = sessionEngine({ store: modelSessionStore(auth), users, secretKey: "views-secret" });
const settings = defineSettings({ defaultAuthenticationClasses: [SessionAuthentication.using(sessions)] });
const validators = [new MinimumLengthValidator(), new NumericPasswordValidator()];
const mail = memoryMailBackend();
const reset = passwordReset({
  userModel: User,
  tokens: new PasswordResetTokenGenerator({ secretKey: "views-secret" }),
  mail,
  fromEmail: "noreply@shop.example",
  resetUrl: (uid, token) => `https://shop.example/reset/${uid}/${token}/`,
});

class Me extends APIView {
  static override permissionClasses = [IsAuthenticated];
  get(request: Request) {
    return new Response({ id: request.user.pk });
  }
}

function client() {
  const app = new Hono();
  app.post("/login/", SessionLoginView.asView({ settings, sessions }));
  app.post("/logout/", SessionLogoutView.asView({ settings, sessions }));
  app.post("/password/change/", PasswordChangeView.asView({ settings, sessions, validators }));
  app.post("/password/reset/", PasswordResetView.asView({ settings, reset }));
  app.post("/password/reset/confirm/", PasswordResetConfirmView.asView({ settings, reset, validators }));
  app.get("/me/", Me.asView({ settings }));
  return new APIClient(app);
}

describe("session login and logout views", () => {
  it("logs a fixture user in and out", async () => {
    const c = client();
    const bad = await c.post("/login/", { username: "edsger4", password: "nope" });
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual({
      non_field_errors: [
        "Please enter a correct username and password. Note that both fields may be case-sensitive.",
      ],
    });
    const ok = await c.post("/login/", { username: "edsger4", password: "shop-pass-123" });
    expect(ok.data).toEqual({ detail: "Successfully logged in." });
    expect((await c.get("/me/")).data).toEqual({ id: 4 });
    expect((await User.objects.get({ pk: 4 })).last_login).toBeInstanceOf(Date);
    expect((await c.post("/logout/", {})).status).toBe(403);
    const out = await c.post("/logout/", {}, { headers: { "X-CSRFToken": c.cookies.get("csrftoken")! } });
    expect(out.data).toEqual({ detail: "Successfully logged out." });
    expect(await auth.Session.objects.count()).toBe(0);
    expect((await c.get("/me/")).status).toBe(403);
  });
});

describe("password change", () => {
  it("checks the old password, the confirmation and the validators; keeps the session", async () => {
    const c = client();
    await c.post("/login/", { username: "edsger4", password: "shop-pass-123" });
    const csrf = { headers: { "X-CSRFToken": c.cookies.get("csrftoken")! } };
    const change = (old_password: string, new_password1: string, new_password2 = new_password1) =>
      c.post("/password/change/", { old_password, new_password1, new_password2 }, csrf);
    expect((await change("wrong", "a-new-password")).data).toEqual({
      old_password: ["Your old password was entered incorrectly. Please enter it again."],
    });
    expect((await change("shop-pass-123", "a-new-password", "other")).data).toEqual({
      new_password2: ["The two password fields didn’t match."],
    });
    expect((await change("shop-pass-123", "1234567")).data).toEqual({
      new_password2: [
        "This password is too short. It must contain at least 8 characters.",
        "This password is entirely numeric.",
      ],
    });
    const ok = await change("shop-pass-123", "a-new-password");
    expect(ok.status).toBe(200);
    expect(ok.data).toEqual({ detail: "New password has been saved." });
    expect((await c.get("/me/")).status).toBe(200);
    expect(await users.authenticate({ username: "edsger4", password: "shop-pass-123" })).toBeNull();
    expect(await users.authenticate({ username: "edsger4", password: "a-new-password" })).not.toBeNull();
  });
});

describe("password reset", () => {
  it("mails a single-use link; unknown addresses get the same answer", async () => {
    const c = client();
    mail.outbox.length = 0;
    const unknown = await c.post("/password/reset/", { email: "nobody@example.com" });
    expect(unknown.status).toBe(200);
    expect(mail.outbox).toHaveLength(0);
    expect((await c.post("/password/reset/", { email: "inactive@example.com" })).status).toBe(200);
    expect(mail.outbox).toHaveLength(0);

    const sent = await c.post("/password/reset/", { email: "EDSGER4@example.com" });
    expect(sent.data).toEqual({ detail: "Password reset e-mail has been sent." });
    expect(mail.outbox).toHaveLength(1);
    const [, uid, token] = /\/reset\/([\w-]+)\/([\w-]+)\//.exec(mail.outbox[0]!.body)!;
    expect(uid).toBe("NA");
    const body = { uid, token, new_password1: "brand-new-pass", new_password2: "brand-new-pass" };
    const forged = await c.post("/password/reset/confirm/", { ...body, token: "abc-123" });
    expect(forged.status).toBe(400);
    expect(forged.data).toEqual({ token: ["Invalid value"] });
    const done = await c.post("/password/reset/confirm/", body);
    expect(done.data).toEqual({ detail: "Password has been reset with the new password." });
    expect(await users.authenticate({ username: "edsger4", password: "brand-new-pass" })).not.toBeNull();
    const again = await c.post("/password/reset/confirm/", body);
    expect(again.data).toEqual({ token: ["Invalid value"] });
  });
});
