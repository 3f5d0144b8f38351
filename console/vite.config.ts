/**
 * Dev server for the console: `npx vite --config console/vite.config.ts`, with the API proxied to
 * a running answerdesk server (PORT, default 3000). Production builds go through build.ts.
 */
import { defineConfig } from 'vite';
import { consoleViteConfig } from './build';

const target = `http://localhost:${process.env.PORT ?? '3000'}`;
const { configFile: _ignored, define: _define, mode: _mode, ...shared } = consoleViteConfig('../dist/console');

export default defineConfig({
  ...shared,
  server: { proxy: { '/api': { target }, '/help': { target } } },
});
