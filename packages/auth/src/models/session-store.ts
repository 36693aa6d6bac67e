import type { SessionData, SessionStore } from "../sessions/store.js";
import type { AuthModels } from "./auth-models.js";

/** Django's database session backend (django_session), plus clearsessions. */
export function modelSessionStore(
  models: Pick<AuthModels, "Session">,
): SessionStore & { clearExpired(): Promise<number> } {
  const { Session } = models;
  return {
    async load(key) {
      const row = await Session.objects.filter({ session_key: key, expire_date__gt: new Date() }).first();
      if (!row) return null;
      try {
        return JSON.parse(row.session_data) as SessionData;
      } catch {
        return null;
      }
    },
    async save(key, data, ttlSeconds) {
      await Session.objects.updateOrCreate(
        { session_key: key },
        {
          defaults: {
            session_data: JSON.stringify(data),
            expire_date: new Date(Date.now() + ttlSeconds * 1000),
          },
        },
      );
    },
    async delete(key) {
      await Session.objects.filter({ session_key: key }).delete();
    },
    async clearExpired() {
      const [, counts] = await Session.objects.filter({ expire_date__lte: new Date() }).delete();
      return counts[Session.meta.label] ?? 0;
    },
  };
}
