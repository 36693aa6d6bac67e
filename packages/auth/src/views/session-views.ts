import { APIView, type OperationSchema, type Request, Response, ValidationError } from "@x/views";
import type { SessionEngine, SessionUser } from "../sessions/engine.js";
import { DetailSerializer, LoginSerializer } from "./serializers.js";

/**
 * Session login for API clients (Django's LoginView / AuthenticationForm):
 * `{username, password}` → 200 `{"detail": "Successfully logged in."}` with the
 * session and CSRF cookies. `SessionLoginView.asView({ sessions })`. Throttle scope `auth`.
 */
export class SessionLoginView extends APIView {
  static override authenticationClasses = [];
  static override permissionClasses = [];
  static serializerClass = LoginSerializer;
  static schema: OperationSchema = { responses: { 200: DetailSerializer } };
  throttleScope = "auth";
  declare sessions: SessionEngine<SessionUser>;

  async post(request: Request): Promise<Response> {
    const sessions = this.getAttribute<SessionEngine<SessionUser>>("sessions");
    if (!sessions) throw new Error("SessionLoginView needs .asView({ sessions })");
    const serializer = new LoginSerializer({ data: await request.data });
    await serializer.isValid({ raiseException: true });
    const { username, password } = serializer.validatedData;
    const user = await sessions.users.authenticate({ username, password });
    if (!user) {
      throw new ValidationError({
        non_field_errors: [
          "Please enter a correct username and password. Note that both fields may be case-sensitive.",
        ],
      });
    }
    const response = new Response({ detail: "Successfully logged in." });
    await sessions.login(request, user, response);
    return response;
  }
}

/**
 * Session logout: ends the session and expires its cookie. Reached through
 * SessionAuthentication, so a logged-in browser must send its CSRF token.
 */
export class SessionLogoutView extends APIView {
  static override permissionClasses = [];
  static schema: OperationSchema = { request: null, responses: { 200: DetailSerializer } };
  declare sessions: SessionEngine<SessionUser>;

  async post(request: Request): Promise<Response> {
    const sessions = this.getAttribute<SessionEngine<SessionUser>>("sessions");
    if (!sessions) throw new Error("SessionLogoutView needs .asView({ sessions })");
    const response = new Response({ detail: "Successfully logged out." });
    await sessions.logout(request, response);
    return response;
  }
}
