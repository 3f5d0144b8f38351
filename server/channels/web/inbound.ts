import type { Inbound } from '../../domain/inbound';
import type { ClientFrame } from './protocol';

/** The widget has one thread per visitor: its conversations follow one another in it. */
export const WEB_THREAD = 'web';

/** A widget `message` or `action` frame as the service's inbound shape. */
export function toInbound(customerId: string, shownConversationId: string | null, frame: Extract<ClientFrame, { type: 'message' | 'action' }>): Inbound {
  const conversationId = frame.type === 'action' ? (frame.conversationId ?? shownConversationId ?? undefined) : undefined;
  return {
    channel: 'web',
    sender: { customerId },
    threadKey: WEB_THREAD,
    mayStart: true,
    body:
      frame.type === 'message'
        ? { type: 'text', text: frame.text }
        : { type: 'action', action: frame.action, label: frame.label, ...(conversationId ? { conversationId } : {}) },
    platformId: frame.clientId,
    receivedAt: new Date(),
  };
}
