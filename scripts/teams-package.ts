import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError, loadConfig, loadDotEnv } from '../server/config';
import { buildTeamsPackage, TeamsPackageError } from '../teams/package';

/** `npm run teams:package`: dist/teams/answerdesk-teams.zip for sideloading into Teams. */
function main(): void {
  loadDotEnv();
  try {
    const config = loadConfig();
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const built = buildTeamsPackage({ appId: config.teams.appId, publicUrl: config.publicUrl, version });
    console.log(`Teams app package: ${relative(process.cwd(), built.file)} (${built.entries.join(', ')})`);
    console.log('Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app.');
  } catch (err) {
    if (err instanceof TeamsPackageError || err instanceof ConfigError) {
      console.error(`teams:package: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

main();
