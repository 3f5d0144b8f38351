import { type Activity, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ConversationService } from '../../conversations';
import type { Conversation, Customer, Store } from '../../store/types';
import { decodeSubmit, plainText } from './cards';
import { conversationInChat, refChanged, type TeamsRef, teamsRef } from './references';

export interface InboundDeps {
  store: Store;
  service: ConversationService;
  log: Logger;
  /** With MICROSOFT_APP_TENANT_ID: activities from other tenants are ignored. */
  tenantId?: string;
  /** Development mode only: the Bot Framework Emulator's `emulator` channel is served too. */
  allowEmulator: boolean;
}

const WELCOME = "Hi! I'm the support bot. Ask me a question in your own words and I'll find the answer; say \"talk to a person\" any time to reach the team.";

/** The member behind an activity: their Entra ID object id when Teams gives it, else the channel account id. */
export function memberId(activity: Partial<Activity>): string | undefined {
  return activity.from?.aadObjectId || activity.from?.id || undefined;
}

function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId ?? channelData?.tenant?.id;
}

/**
 * Teams → service. Questions in a personal chat, and @mentions in channels and group chats,
 * become customer text; card submissions (a message with `value` and no text) become customer
 * actions. One answerdesk conversation per member and Teams conversation id.
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
    const { store, log } = this.deps;
    const { activity } = context;
    const member = memberId(activity);
    if (!member || !activity.conversation?.id || activity.from.id === activity.recipient?.id) return;
    // Teams may deliver an activity more than once (retries after a slow answer).
    if (activity.id && !(await store.markProcessed(`msteams:${activity.conversation.id}:${activity.id}`))) {
      log.debug({ activityId: activity.id }, 'duplicate Teams activity ignored');
      return;
    }
    const ref = TurnContext.getConversationReference(activity) as TeamsRef;
    if (activity.value !== undefined && !activity.text?.trim()) return this.onSubmit(activity, member, ref);

    // The bot's own @mention (channels, group chats) is not part of the question.
    if (activity.text) TurnContext.removeRecipientMention(activity);
    const text = plainText(activity.text ?? '');
    if (!text) return;
    const customer = await this.customer(member, activity.from.name);
    let conversation = await conversationInChat(store, customer, activity.conversation.id);
    if (!conversation || conversation.state === 'resolved') {
      conversation = await this.deps.service.conversationFor(customer, 'msteams', { channelRef: ref, startNew: true });
    } else {
      conversation = await this.refresh(conversation, ref);
    }
    log.debug({ conversationId: conversation.id, conversationType: activity.conversation.conversationType }, 'Teams message from a member');
    await this.deps.service.customerText(conversation, text, activity.id ? `msteams:${activity.id}` : undefined);
  }

  /** A member pressed an `Action.Submit` button on one of the bot's cards. */
  private async onSubmit(activity: Activity, member: string, ref: TeamsRef): Promise<void> {
    const { store, service, log } = this.deps;
    const submission = decodeSubmit(activity.value);
    if (!submission) {
      log.debug('Teams card submission that is not ours ignored');
      return;
    }
    const found = await store.getConversation(submission.conversationId);
    const customer = found && (await store.getCustomer(found.customerId));
    if (!found || found.channel !== 'msteams' || !customer) return;
    if (customer.externalId !== member) {
      // A channel card pressed by someone else: only the member who asked answers for it.
      log.info({ conversationId: found.id }, "Teams card pressed by someone other than the conversation's member; ignored");
      return;
    }
    // One answer per card, as in the widget and Slack (the buttons stay visible in Teams).
    if (activity.replyToId && !(await store.markProcessed(`msteams:card:${found.id}:${activity.replyToId}`))) {
      log.debug({ conversationId: found.id }, 'Teams card already answered');
      return;
    }
    const conversation = await this.refresh(found, ref);
    log.debug({ conversationId: conversation.id, action: submission.action.kind }, 'Teams card submission from a member');
    await service.customerAction(conversation, submission.action, submission.label, activity.id ? `msteams:${activity.id}` : undefined);
  }

  /** The bot was added to a personal chat: say what it does (not part of any transcript). */
  private async onConversationUpdate(context: TurnContext): Promise<void> {
    const { activity } = context;
    const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    if (botAdded && activity.conversation?.conversationType === 'personal') await context.sendActivity(WELCOME);
  }

  /** Keeps the stored reference on the member's latest activity (service URLs can move). */
  private async refresh(conversation: Conversation, ref: TeamsRef): Promise<Conversation> {
    if (!refChanged(teamsRef(conversation), ref)) return conversation;
    return this.deps.store.updateConversation(conversation.id, { channelRef: ref });
  }

  /** The Teams member as an answerdesk customer (display name from the activity). */
  private async customer(member: string, name: string | undefined): Promise<Customer> {
    const { store } = this.deps;
    const existing = await store.findCustomerByExternalId('msteams', member);
    if (existing) return existing;
    return store.upsertCustomer({ channel: 'msteams', externalId: member, ...(name ? { name } : {}) });
  }
}
