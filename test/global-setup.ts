import { existsSync } from 'node:fs';

/**
 * Browser tests load the real bundles, so `npm test` builds them once first (a few seconds;
 * the same vite builds `npm run build` uses).
 */
export default async function setup(): Promise<void> {
  const { buildWidget } = await import('../widget/build');
  await buildWidget();
  if (existsSync('console/build.ts')) {
    const { buildConsole } = await import('../console/build');
    await buildConsole();
  }
}
