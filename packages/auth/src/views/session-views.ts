import { APIView, type Request, Response, ValidationError } from "@x/views";
import type { SessionEngine, SessionUser } from "../sessions/engine.js";
import { readCharFields } from "./fields.js";

/**
 * Session login for API clients (Django's LoginView / AuthenticationForm):
 * `{username, password}` → 200 `{"detail": "Successfully logged in."}` with the
 * session and CSRF cookies. `SessionLoginView.asView({ sessions })`. Throttle scope `auth`.
 */
export class SessionLoginView extends APIView {
  static override authenticationClasses = [];
  static override permissionClasses = [];
  throttleScope = "auth";
  declare sessions: SessionEngine<SessionUser>;

  async post(request: Request): Promise<Response> {
    const sessions = this.getAttribute<SessionEngine<SessionUser>>("sessions");
    if (!sessions) throw new Error("SessionLoginView needs .asView({ sessions })");
    const { username, password } = readCharFields(await request.data, {
      username: {},
      password: { trim: false },
    });
    const user = await sessions.users.authenticate({ username: username!, password: password! });
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
  declare sessions: SessionEngine<SessionUser>;

  async post(request: Request): Promise<Response> {
    const sessions = this.getAttribute<SessionEngine<SessionUser>>("sessions");
    if (!sessions) throw new Error("SessionLogoutView needs .asView({ sessions })");
    const response = new Response({ detail: "Successfully logged out." });
    await sessions.logout(request, response);
    return response;
  }
}
