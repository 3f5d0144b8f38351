/**
 * `npm run agent:add -- --email lead@example.com --name "Lee" [--role admin] [--password …]`
 * Creates an agent account (the first admin, typically). Without --password it asks for one.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { hashPassword } from '../server/auth/passwords';
import { loadConfig, loadDotEnv } from '../server/config';
import { openStore } from '../server/store/open';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    password: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  console.error('usage: npm run agent:add -- --email EMAIL --name NAME [--role agent|editor|admin] [--password PASSWORD]');
  process.exit(2);
}

if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) fail('--email is required');
if (values.role !== 'agent' && values.role !== 'admin' && values.role !== 'editor') fail('--role must be agent, editor or admin');
let password = values.password ?? process.env.AGENT_PASSWORD;
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question('Password (10+ characters): ');
  rl.close();
}
if (password.length < 10) fail('the password needs at least 10 characters');

loadDotEnv();
const config = loadConfig();
const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
try {
  if (await store.agents.byEmail(values.email)) fail(`an agent with email ${values.email} already exists`);
  const agent = await store.agents.create({
    email: values.email,
    name: values.name ?? values.email.split('@')[0]!,
    role: values.role,
    passwordHash: await hashPassword(password),
  });
  console.log(`created ${agent.role} ${agent.email} (${agent.id}); sign in at /console`);
} finally {
  await store.close();
}
