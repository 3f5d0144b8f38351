import { startTestServer, type TestServer } from '../../support/server';
import { TEST_DATABASE_URL } from '../../support/stores';
import { FakeSlack } from '../../slack/fake-slack';
import { FakeConnector } from '../../teams/fake-connector';

/**
 * One answerdesk server with every channel on — the widget, Slack (talking to a FakeSlack) and
 * Teams in development mode (talking to a FakeConnector) — on SQLite or on PostgreSQL in a
 * schema of its own. Each channel driver sits on one of these.
 */

export type Backend = 'sqlite' | 'postgres';

export const SIGNING_SECRET = 'contract-suite-signing-secret';
export const PUBLIC_URL = 'https://support.example.com';

export interface Harness {
  backend: Backend;
  server: TestServer;
  slack: FakeSlack;
  teams: FakeConnector;
  close(): Promise<void>;
}

export async function startHarness(backend: Backend, env: Record<string, string> = {}): Promise<Harness> {
  const slack = await FakeSlack.start(SIGNING_SECRET);
  const teams = await FakeConnector.start();
  let server: TestServer;
  try {
    server = await startTestServer(
      {
        PUBLIC_URL,
        ...slack.serverEnv(),
        ...(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
        ...env,
      },
      { pgSchema: 'fresh' },
    );
  } catch (err) {
    await Promise.allSettled([slack.close(), teams.close()]);
    throw err;
  }
  slack.target = `${server.url}/slack/events`;
  teams.target = `${server.url}/api/messages`;
  return {
    backend,
    server,
    slack,
    teams,
    async close() {
      await server.close();
      await Promise.allSettled([slack.close(), teams.close()]);
    },
  };
}
