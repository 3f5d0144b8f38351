import type { ChatMessage, MessageContent } from '../../server/channels/web/protocol';

export function msg(seq: number, content: MessageContent | string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m${extra.conversationId ?? 'c1'}-${seq}`,
    conversationId: 'c1',
    seq,
    author: 'bot',
    content: typeof content === 'string' ? { type: 'text', text: content } : content,
    createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)).toISOString(),
    ...extra,
  };
}
