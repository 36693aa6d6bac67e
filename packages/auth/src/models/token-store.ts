import { atomic, IntegrityError } from "@x/models";
import type { OutstandingTokenRecord, TokenStore } from "../jwt/store.js";
import type { AuthModels } from "./auth-models.js";

/** simplejwt's token_blacklist app on the database (OutstandingToken / BlacklistedToken). */
export function modelTokenStore(
  models: Pick<AuthModels, "OutstandingToken" | "BlacklistedToken">,
): TokenStore {
  const { OutstandingToken, BlacklistedToken } = models;

  async function outstandingRow(record: OutstandingTokenRecord, withUser: boolean) {
    const [row] = await OutstandingToken.objects.getOrCreate(
      { jti: record.jti },
      {
        defaults: {
          token: record.token,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
          ...(withUser && record.userId !== null && record.userId !== undefined
            ? { user_id: record.userId }
            : {}),
        },
      },
    );
    return row;
  }

  return {
    async outstand(record) {
      await outstandingRow(record, true);
    },
    async blacklist(record) {
      const row = await outstandingRow(record, false);
      try {
        // A savepoint: the unique violation of a second blacklisting must not
        // abort an enclosing PostgreSQL transaction.
        await atomic(() => BlacklistedToken.objects.create({ token_id: row.pk }));
        return true;
      } catch (e) {
        if (e instanceof IntegrityError) return false;
        throw e;
      }
    },
    isBlacklisted(jti) {
      return BlacklistedToken.objects.filter({ token__jti: jti }).exists();
    },
    async blacklistAllForUser(userId) {
      const live = (await OutstandingToken.objects
        .filter({ user_id: userId, expires_at__gt: new Date() })
        .valuesList("id", { flat: true })) as number[];
      if (live.length === 0) return 0;
      const already = new Set(
        await BlacklistedToken.objects.filter({ token_id__in: live }).valuesList("token_id", { flat: true }),
      );
      const fresh = (live as number[]).filter((id) => !already.has(id));
      await BlacklistedToken.objects.bulkCreate(
        fresh.map((id: number) => new BlacklistedToken({ token_id: id })),
      );
      return fresh.length;
    },
    async flushExpired(now = new Date()) {
      const [, counts] = await OutstandingToken.objects.filter({ expires_at__lte: now }).delete();
      return counts[OutstandingToken.meta.label] ?? 0;
    },
  };
}
