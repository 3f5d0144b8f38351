import { type Backend, startHarness } from './harness';
import { SlackDriver } from './slack';
import { TeamsDriver } from './teams';
import type { ChannelDriver, ChannelName } from './types';
import { WebDriver } from './web';

export type { Backend } from './harness';
export * from './types';

/** A fresh server (every channel on, given backend) and the driver for `channel` on it. */
export async function openDriver(channel: ChannelName, backend: Backend, env: Record<string, string> = {}): Promise<ChannelDriver> {
  const harness = await startHarness(backend, env);
  switch (channel) {
    case 'web':
      return new WebDriver(harness);
    case 'slack':
      return new SlackDriver(harness);
    case 'msteams':
      return new TeamsDriver(harness);
  }
}
