import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { colorIcon, outlineIcon, pngSize } from './png';
import { zip } from './zip';

/**
 * The Teams app package (`npm run teams:package`): manifest.json from manifest.template.json
 * plus the two icons, zipped for upload ("Upload a custom app" in Teams, or the Teams admin
 * centre). The bot id is the Azure Bot's MICROSOFT_APP_ID; validDomains is PUBLIC_URL's host.
 */

export const TEAMS_DIR = import.meta.dirname;
export const DEFAULT_PACKAGE_FILE = join(TEAMS_DIR, '..', 'dist', 'teams', 'answerdesk-teams.zip');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The package cannot be built as configured; the message says what to set. */
export class TeamsPackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamsPackageError';
  }
}

export interface TeamsPackageOptions {
  /** MICROSOFT_APP_ID: the Azure Bot's app id, also used as the Teams app id. */
  appId: string | undefined;
  /** PUBLIC_URL: https address of this answerdesk (developer links, validDomains). */
  publicUrl: string | undefined;
  /** App version (package.json). */
  version: string;
  /** Where to write the zip (default dist/teams/answerdesk-teams.zip). */
  outFile?: string;
  /** Folder with manifest.template.json and optional color.png / outline.png (default teams/). */
  sourceDir?: string;
}

export interface TeamsPackage {
  file: string;
  manifest: Record<string, unknown>;
  entries: string[];
}

/** Replaces {{NAME}} placeholders in every string of the template (never in keys or structure). */
function fill(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\{\{([A-Z_]+)\}\}/g, (m, name: string) => vars[name] ?? m);
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

export function buildManifest(options: Pick<TeamsPackageOptions, 'appId' | 'publicUrl' | 'version' | 'sourceDir'>): Record<string, unknown> {
  const { appId, publicUrl } = options;
  if (!appId) {
    throw new TeamsPackageError('MICROSOFT_APP_ID is not set: it is the bot id in the Teams manifest. Create the Azure Bot first (see README.md, "Microsoft Teams") and set MICROSOFT_APP_ID in .env.');
  }
  if (!GUID.test(appId)) throw new TeamsPackageError(`MICROSOFT_APP_ID "${appId}" is not a GUID: use the Microsoft App ID of the Azure Bot.`);
  if (!publicUrl) throw new TeamsPackageError('PUBLIC_URL is not set: Teams needs the https address of this answerdesk for developer links and validDomains.');
  const url = new URL(publicUrl);
  if (url.protocol !== 'https:') throw new TeamsPackageError(`PUBLIC_URL must be https:// for Teams (got ${publicUrl}).`);
  const version = /^\d+\.\d+\.\d+$/.test(options.version) ? options.version : '1.0.0';
  const template = JSON.parse(readFileSync(join(options.sourceDir ?? TEAMS_DIR, 'manifest.template.json'), 'utf8')) as unknown;
  const base = publicUrl.replace(/\/$/, '');
  const manifest = fill(template, { BOT_ID: appId, VERSION: version, PUBLIC_URL: base, DOMAIN: url.host }) as Record<string, unknown>;
  const left = JSON.stringify(manifest).match(/\{\{[A-Z_]+\}\}/);
  if (left) throw new TeamsPackageError(`manifest.template.json has an unknown placeholder ${left[0]}`);
  return manifest;
}

/** A custom icon from the source folder if present (checked for size), else the default drawing. */
function icon(sourceDir: string, name: string, size: number, draw: () => Buffer): Buffer {
  const path = join(sourceDir, name);
  if (!existsSync(path)) return draw();
  const png = readFileSync(path);
  const actual = pngSize(png);
  if (!actual || actual.width !== size || actual.height !== size) {
    throw new TeamsPackageError(`${path} must be a ${size}×${size} PNG${actual ? ` (it is ${actual.width}×${actual.height})` : ''}.`);
  }
  return png;
}

export function buildTeamsPackage(options: TeamsPackageOptions): TeamsPackage {
  const sourceDir = options.sourceDir ?? TEAMS_DIR;
  const manifest = buildManifest({ ...options, sourceDir });
  const file = options.outFile ?? DEFAULT_PACKAGE_FILE;
  const entries = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: icon(sourceDir, 'color.png', 192, () => colorIcon(192)) },
    { name: 'outline.png', data: icon(sourceDir, 'outline.png', 32, () => outlineIcon(32)) },
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, zip(entries));
  return { file, manifest, entries: entries.map((e) => e.name) };
}
