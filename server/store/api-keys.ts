import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable } from './api-schema';
import { json, now } from './rows';
import type { Database } from './schema';

export const API_SCOPES = ['read', 'tickets:write', 'conversations:write', 'knowledge:write', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart in lists (`ak_3f2a…`). */
  prefix: string;
  scopes: ApiScope[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type IdempotencyBegin = { kind: 'started' } | { kind: 'running' } | { kind: 'done'; status: number; body: string } | { kind: 'mismatch' };

/** How stale a "running" idempotent request must be before another attempt may take it over (its instance died). */
const RUNNING_TAKEOVER_MS = 60_000;
/** Last-used times are written at most this often per key: a busy key is not a write per request. */
const TOUCH_EVERY_MS = 60_000;

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** API keys (stored hashed; checked against the database on every request, so a revocation holds at once everywhere) and idempotent requests. */
export interface ApiKeyStore {
  /** A new key: the secret is returned once and never stored. */
  create(input: { name: string; scopes: ApiScope[]; createdBy?: string | null }): Promise<{ key: ApiKey; secret: string }>;
  /** The live (not revoked) key for a presented secret; notes when it was used. */
  authenticate(secret: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  revoke(id: string): Promise<ApiKey | undefined>;

  /** Claims an idempotency key for a request, or says what happened to the first request with it. */
  beginIdempotent(keyId: string, idemKey: string, fingerprint: string): Promise<IdempotencyBegin>;
  finishIdempotent(keyId: string, idemKey: string, status: number, body: string): Promise<void>;
  /** The request failed in a way worth retrying (5xx): the key is free again. */
  abandonIdempotent(keyId: string, idemKey: string): Promise<void>;
  /** Forgets idempotency keys older than `before` (a retry is expected within hours, not weeks). */
  pruneIdempotent(before: Date): Promise<number>;
}

const toKey = (r: Selectable<ApiKeysTable>): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: json<ApiScope[]>(r.scopes, []),
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export class KyselyApiKeys implements ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { name: string; scopes: ApiScope[]; createdBy?: string | null }): Promise<{ key: ApiKey; secret: string }> {
    const secret = `ak_${randomBytes(24).toString('base64url')}`;
    const row = await this.db
      .insertInto('api_keys')
      .values({
        id: randomUUID(),
        name: input.name,
        hash: hashKey(secret),
        prefix: secret.slice(0, 7),
        scopes: JSON.stringify([...new Set(input.scopes)]),
        created_by: input.createdBy ?? null,
        created_at: now(),
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { key: toKey(row), secret };
  }

  async authenticate(secret: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('hash', '=', hashKey(secret)).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row) return undefined;
    const t = now();
    if (!row.last_used_at || Date.parse(t) - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
      await this.db.updateTable('api_keys').set({ last_used_at: t }).where('id', '=', row.id).execute();
      row.last_used_at = t;
    }
    return toKey(row);
  }

  async list(): Promise<ApiKey[]> {
    return (await this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute()).map(toKey);
  }

  async revoke(id: string): Promise<ApiKey | undefined> {
    await this.db.updateTable('api_keys').set({ revoked_at: now() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toKey(row);
  }

  async beginIdempotent(keyId: string, idemKey: string, fingerprint: string): Promise<IdempotencyBegin> {
    const t = now();
    const inserted = await this.db
      .insertInto('api_idempotency')
      .values({ key_id: keyId, idem_key: idemKey, fingerprint, state: 'running', status: null, body: null, created_at: t })
      .onConflict((oc) => oc.columns(['key_id', 'idem_key']).doNothing())
      .returning('key_id')
      .executeTakeFirst();
    if (inserted) return { kind: 'started' };
    const row = await this.db.selectFrom('api_idempotency').selectAll().where('key_id', '=', keyId).where('idem_key', '=', idemKey).executeTakeFirst();
    if (!row) return this.beginIdempotent(keyId, idemKey, fingerprint);
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.state === 'done') return { kind: 'done', status: Number(row.status), body: row.body ?? '' };
    // A request whose instance died mid-way: one later attempt takes it over (conditional update).
    const stale = new Date(Date.now() - RUNNING_TAKEOVER_MS).toISOString();
    const taken = await this.db
      .updateTable('api_idempotency')
      .set({ created_at: t })
      .where('key_id', '=', keyId)
      .where('idem_key', '=', idemKey)
      .where('state', '=', 'running')
      .where('created_at', '<', stale)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) > 0 ? { kind: 'started' } : { kind: 'running' };
  }

  async finishIdempotent(keyId: string, idemKey: string, status: number, body: string): Promise<void> {
    await this.db.updateTable('api_idempotency').set({ state: 'done', status, body }).where('key_id', '=', keyId).where('idem_key', '=', idemKey).execute();
  }

  async pruneIdempotent(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('api_idempotency').where('created_at', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async abandonIdempotent(keyId: string, idemKey: string): Promise<void> {
    await this.db.deleteFrom('api_idempotency').where('key_id', '=', keyId).where('idem_key', '=', idemKey).where('state', '=', 'running').execute();
  }
}
