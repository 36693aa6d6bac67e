import type { Authentication, Awaitable, Request, User } from "@x/views";
import { enforceCsrf } from "../sessions/csrf.js";
import type { SessionEngine, SessionUser } from "../sessions/engine.js";

/**
 * DRF's SessionAuthentication: the session cookie's user, with Django's CSRF
 * check on unsafe methods (403 `CSRF Failed: ...`). No WWW-Authenticate: a
 * failure is a 403, as in DRF. Bind it with `SessionAuthentication.using(sessions)`.
 */
export class SessionAuthentication implements Authentication {
  static sessions: SessionEngine<SessionUser> | undefined;

  static using<U extends SessionUser>(sessions: SessionEngine<U>): typeof SessionAuthentication {
    return class extends SessionAuthentication {
      static override sessions = sessions as unknown as SessionEngine<SessionUser>;
    };
  }

  authenticate(request: Request): Awaitable<readonly [User, unknown] | null> {
    const sessions = (this.constructor as typeof SessionAuthentication).sessions;
    if (!sessions)
      return Promise.reject(
        new Error("SessionAuthentication has no engine: use SessionAuthentication.using(sessions)"),
      );
    // No cookie at all, no session (most API clients): answered without a promise.
    if (request.header("cookie") === null) return null;
    return this.sessionUser(request, sessions);
  }

  private async sessionUser(
    request: Request,
    sessions: SessionEngine<SessionUser>,
  ): Promise<readonly [User, unknown] | null> {
    const user = await sessions.getUser(request);
    if (!user) return null;
    this.enforceCsrf(request, sessions);
    return [user, null];
  }

  enforceCsrf(request: Request, sessions: SessionEngine<SessionUser>): void {
    enforceCsrf(request, sessions.csrf);
  }
}
