import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(readFileSync(join(import.meta.dirname, '..', '..', 'slack', 'manifest.yml'), 'utf8')) as {
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
  features: { slash_commands: { command: string; url: string }[] };
};

describe('slack/manifest.yml', () => {
  it('asks for exactly the scopes and events the adapter uses, all pointing at /slack/events', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'groups:history', 'im:history', 'users:read', 'users:read.email'].sort(),
    );
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_mention', 'message.channels', 'message.groups', 'message.im']);
    const url = 'https://support.example.com/slack/events';
    expect(manifest.settings.event_subscriptions.request_url).toBe(url);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: '/answerdesk', url })]);
  });
});
