import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, TeamsPackageError } from '../../teams/package';
import { pngSize } from '../../teams/png';

const APP_ID = '00000000-0000-0000-0000-000000000001';

/** Entries of a zip, read from its central directory (enough for the package we write). */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('teams:package', () => {
  it('builds a zip with manifest.json (bot id, scopes, valid domain) and both icons', () => {
    const outFile = join(mkdtempSync(join(tmpdir(), 'answerdesk-teams-')), 'answerdesk-teams.zip');
    const built = buildTeamsPackage({ appId: APP_ID, publicUrl: 'https://support.example.com/', version: '0.1.0', outFile });
    expect(built.file).toBe(outFile);

    const entries = readZip(readFileSync(outFile));
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
      manifestVersion: string;
      id: string;
      version: string;
      bots: { botId: string; scopes: string[] }[];
      validDomains: string[];
      developer: { websiteUrl: string; privacyUrl: string };
      name: { short: string };
      description: { short: string; full: string };
      icons: { color: string; outline: string };
    };
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.17);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.version).toBe('0.1.0');
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'] });
    expect(manifest.validDomains).toEqual(['support.example.com']);
    expect(manifest.developer.websiteUrl).toBe('https://support.example.com');
    expect(manifest.developer.privacyUrl).toMatch(/^https:\/\//);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(pngSize(entries.get('color.png')!)).toEqual({ width: 192, height: 192 });
    expect(pngSize(entries.get('outline.png')!)).toEqual({ width: 32, height: 32 });

    // The same archive as a standard tool sees it (CRCs included).
    if (hasUnzip()) {
      const listing = execFileSync('unzip', ['-t', outFile], { encoding: 'utf8' });
      expect(listing).toContain('No errors detected');
      expect(listing).toContain('manifest.json');
    }
  });

  it('fails with a clear message without MICROSOFT_APP_ID or an https PUBLIC_URL', () => {
    const outFile = join(tmpdir(), 'never-written.zip');
    expect(() => buildTeamsPackage({ appId: undefined, publicUrl: 'https://support.example.com', version: '0.1.0', outFile })).toThrow(TeamsPackageError);
    expect(() => buildTeamsPackage({ appId: undefined, publicUrl: 'https://support.example.com', version: '0.1.0', outFile })).toThrow(/MICROSOFT_APP_ID is not set/);
    expect(() => buildTeamsPackage({ appId: 'not-a-guid', publicUrl: 'https://support.example.com', version: '0.1.0', outFile })).toThrow(/not a GUID/);
    expect(() => buildTeamsPackage({ appId: APP_ID, publicUrl: undefined, version: '0.1.0', outFile })).toThrow(/PUBLIC_URL is not set/);
    expect(() => buildTeamsPackage({ appId: APP_ID, publicUrl: 'http://localhost:3000', version: '0.1.0', outFile })).toThrow(/https/);
  });

  it('the npm script says what is missing and exits 1', () => {
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/teams-package.ts'], {
        encoding: 'utf8',
        stdio: 'pipe',
        // Set but empty: a developer's .env (which never overrides what is set) cannot supply one.
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: join(tmpdir(), 'answerdesk-teams-script'), MICROSOFT_APP_ID: '' },
        timeout: 20_000,
      });
    } catch (err) {
      failure = err as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain('MICROSOFT_APP_ID is not set');
  });
});
