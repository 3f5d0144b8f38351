import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Outside production a missing SECRET is generated once and kept under the data directory,
 * so visitor tokens survive restarts of `npm start` without any set-up.
 */
export function resolveSecret(configured: string | undefined, dataDir: string, inMemory: boolean): string {
  if (configured) return configured;
  if (inMemory) return randomBytes(32).toString('base64url');
  const path = join(dataDir, 'secret.key');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}
