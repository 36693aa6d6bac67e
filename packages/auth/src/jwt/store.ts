/** simplejwt's OutstandingToken row. */
export interface OutstandingTokenRecord {
  jti: string;
  userId: unknown;
  token: string;
  createdAt: Date;
  expiresAt: Date;
}

/** simplejwt's token_blacklist app: outstanding and blacklisted refresh tokens. */
export interface TokenStore {
  /** Records an issued refresh token (idempotent on jti). */
  outstand(record: OutstandingTokenRecord): Promise<void>;
  /** Blacklists a token (recording it as outstanding first if needed); false when it already was. */
  blacklist(record: OutstandingTokenRecord): Promise<boolean>;
  isBlacklisted(jti: string): Promise<boolean>;
  /** "Log out everywhere": blacklists every unexpired outstanding token of the user; returns how many. */
  blacklistAllForUser(userId: unknown): Promise<number>;
  /** simplejwt's flushexpiredtokens: deletes outstanding (and their blacklist) rows expired before `now`. */
  flushExpired(now?: Date): Promise<number>;
}

/**
 * A TokenStore in process memory: for a single-process service or tests.
 * `modelTokenStore()` keeps them in the database instead.
 */
export function memoryTokenStore(): TokenStore & {
  readonly outstanding: ReadonlyMap<string, OutstandingTokenRecord>;
} {
  const outstanding = new Map<string, OutstandingTokenRecord>();
  const blacklisted = new Set<string>();
  return {
    outstanding,
    async outstand(record) {
      if (!outstanding.has(record.jti)) outstanding.set(record.jti, record);
    },
    async blacklist(record) {
      if (!outstanding.has(record.jti)) outstanding.set(record.jti, record);
      if (blacklisted.has(record.jti)) return false;
      blacklisted.add(record.jti);
      return true;
    },
    async isBlacklisted(jti) {
      return blacklisted.has(jti);
    },
    async blacklistAllForUser(userId) {
      let n = 0;
      const now = Date.now();
      for (const record of outstanding.values()) {
        if (
          String(record.userId) === String(userId) &&
          record.expiresAt.getTime() > now &&
          !blacklisted.has(record.jti)
        ) {
          blacklisted.add(record.jti);
          n++;
        }
      }
      return n;
    },
    async flushExpired(now = new Date()) {
      let n = 0;
      for (const [jti, record] of outstanding) {
        if (record.expiresAt.getTime() <= now.getTime()) {
          outstanding.delete(jti);
          blacklisted.delete(jti);
          n++;
        }
      }
      return n;
    },
  };
}
