/**
 * What a customer is told when their message is refused, in every channel. The service
 * decides (domain error codes); each adapter only shapes these words for its platform.
 */
export interface RefusalNotice {
  type: 'refusal';
  code: string;
  /** Where to tell it: the platform's own target (Slack ephemeral target, Teams reference). */
  to: unknown;
  /** The platform id of the conversation's member, for "these buttons are for …". */
  owner: string | null;
  limitBytes: number;
}

export function isRefusal(payload: Record<string, unknown>): payload is Record<string, unknown> & RefusalNotice {
  return payload.type === 'refusal' && typeof payload.code === 'string';
}

export function refusalText(code: string, options: { limitBytes: number; owner?: string | null }): string {
  switch (code) {
    case 'message_too_large':
      return `Messages are limited to ${options.limitBytes} bytes. Please shorten it or split it up.`;
    case 'rate_limited':
      return 'You are sending messages too quickly. Please wait a moment.';
    case 'not_allowed':
      return options.owner ? 'These buttons belong to someone else. Ask your own question to get yours.' : 'These buttons belong to another conversation.';
    default:
      return 'Sorry, that message could not be taken. Please try again.';
  }
}
