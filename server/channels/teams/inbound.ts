import { type Activity, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ConversationService } from '../../conversations';
import { cleanText } from '../../domain/text';
import { decodeSubmit, plainText } from './render';
import type { TeamsRef } from './references';

export interface InboundDeps {
  service: ConversationService;
  log: Logger;
  /** With MICROSOFT_APP_TENANT_ID: activities from other tenants are ignored. */
  tenantId?: string;
  /** Development mode only: the Bot Framework Emulator's `emulator` channel is served too. */
  allowEmulator: boolean;
}

/** The member behind an activity: their Entra ID object id when Teams gives it, else the channel account id. */
export function memberId(activity: Partial<Activity>): string | undefined {
  const id = activity.from?.aadObjectId || activity.from?.id;
  return typeof id === 'string' && id ? cleanText(id) || undefined : undefined;
}

function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId ?? channelData?.tenant?.id;
}

/**
 * Where replies to this chat go: the activity's conversation reference without the activity
 * id (proactive sends never reply to one), so it only changes when Teams moves the chat.
 */
export function referenceOf(activity: Activity): TeamsRef {
  const { activityId: _activityId, ...ref } = TurnContext.getConversationReference(activity);
  return ref as TeamsRef;
}

/**
 * Teams → the service's inbound shape. Questions in a personal chat, and @mentions in channels
 * and group chats, become customer text; card submissions (a message with `value` and no
 * text) become button presses. One thread per member and Teams conversation id; limits,
 * de-duplication (the activity id), scoping and who may press a card are the service's.
 */
export class TeamsInbound {
  constructor(private readonly deps: InboundDeps) {}

  async onTurn(context: TurnContext): Promise<void> {
    const { activity } = context;
    const { log, tenantId, allowEmulator } = this.deps;
    if (activity.channelId !== 'msteams' && !(allowEmulator && activity.channelId === 'emulator')) {
      log.debug({ channelId: activity.channelId }, 'Teams endpoint: activity from another Bot Framework channel ignored');
      return;
    }
    const tenant = tenantOf(activity);
    if (tenantId && tenant !== tenantId) {
      log.warn({ tenant: tenant ?? null }, 'Teams activity from another tenant ignored');
      return;
    }
    if (activity.type === 'message') return this.onMessage(context);
    if (activity.type === 'conversationUpdate') return this.onConversationUpdate(context);
  }

  private async onMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    const member = memberId(activity);
    const chat = activity.conversation?.id;
    if (!member || typeof chat !== 'string' || !chat || activity.from.id === activity.recipient?.id) return;
    const ref = referenceOf(activity);
    const common = {
      channel: 'msteams' as const,
      threadKey: chat,
      ...(activity.id ? { platformId: `msteams:${chat}:${activity.id}` } : {}),
      receivedAt: new Date(),
      channelRef: ref,
    };
    if (activity.value !== undefined && !activity.text?.trim()) {
      const submission = decodeSubmit(activity.value);
      if (!submission) return;
      const result = await this.deps.service.receive({
        ...common,
        sender: { externalId: member },
        mayStart: false,
        body: {
          type: 'action',
          action: submission.action,
          label: submission.label,
          conversationId: submission.conversationId,
          // One answer per card, as in the widget and Slack (the buttons stay visible in Teams).
          ...(activity.replyToId ? { cardId: `msteams:${activity.replyToId}` } : {}),
        },
      });
      this.deps.log.debug({ result: result.kind, action: submission.action.kind }, 'Teams card submission');
      return;
    }
    // The bot's own @mention (channels, group chats) is not part of the question.
    if (activity.text) TurnContext.removeRecipientMention(activity);
    const text = plainText(activity.text ?? '');
    const name = typeof activity.from.name === 'string' ? cleanText(activity.from.name).slice(0, 100) : '';
    const result = await this.deps.service.receive({
      ...common,
      sender: { externalId: member, profile: async () => (name ? { name } : {}) },
      mayStart: true,
      body: { type: 'text', text },
    });
    this.deps.log.debug({ result: result.kind, conversationType: activity.conversation.conversationType }, 'Teams message from a member');
  }

  /** The bot was added to a personal chat: say what it does (not part of any transcript; sent like any delivery). */
  private async onConversationUpdate(context: TurnContext): Promise<void> {
    const { activity } = context;
    const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    if (botAdded && activity.conversation?.conversationType === 'personal') {
      await this.deps.service.notice('msteams', { type: 'welcome', to: referenceOf(activity) });
    }
  }
}
