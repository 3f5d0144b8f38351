import { type Kysely, sql } from 'kysely';
import { json, now } from './rows';
import type { Database } from './schema';

/** Tables of migration 004 (see migration-004-email.ts for why each exists). */
export interface EmailsTable {
  message_id: string;
  direction: string;
  conversation_id: string | null;
  chat_message_id: string | null;
  from_address: string;
  to_addresses: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: string;
  size: number;
  via: string;
  outcome: string;
  created_at: string;
}
export interface EmailThreadsTable {
  conversation_id: string;
  emailed_seq: number;
  sent: number;
  refs: string;
  subject: string;
  updated_at: string;
}
export interface WidgetPresenceTable {
  customer_id: string;
  instance: string;
  sockets: number;
}
export interface InstancesTable {
  id: string;
  alive_until: string;
}

export interface AttachmentNote {
  filename: string;
  contentType: string;
  size: number;
  /** Attachments are never stored: this says why it is only noted (over the limit, or not kept). */
  note: string;
}

export interface StoredEmail {
  messageId: string;
  direction: 'in' | 'out';
  conversationId: string | null;
  chatMessageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** Sanitised (scripts, handlers and remote content removed): never the raw HTML. */
  html: string | null;
  attachments: AttachmentNote[];
  size: number;
  via: 'smtp' | 'imap' | 'sent';
  /** `received` (being handled), `stored`, `sent`, or `ignored:<reason>`. */
  outcome: string;
  createdAt: string;
}

export interface EmailThread {
  conversationId: string;
  /** Messages up to this seq have been emailed (or were seen live and need no email). */
  emailedSeq: number;
  sent: number;
  /** Message-IDs of the thread, oldest first, for References. */
  refs: string[];
  subject: string;
}

/**
 * Email storage: the mails themselves (once per Message-ID), each conversation's emailing
 * progress, and widget presence across instances.
 */
export interface EmailStore {
  /** Stores a mail the first time its Message-ID is seen; `created` false for a redelivery (with the first one's row). */
  record(mail: Omit<StoredEmail, 'createdAt'>): Promise<{ created: boolean; email: StoredEmail }>;
  settle(messageId: string, outcome: string, link?: { conversationId: string; chatMessageId?: string | null }): Promise<void>;
  get(messageId: string): Promise<StoredEmail | undefined>;
  byChatMessage(chatMessageId: string): Promise<StoredEmail | undefined>;
  ofConversation(conversationId: string): Promise<StoredEmail[]>;
  /** True when we sent a mail with this Message-ID (a loop, or our own mail bounced back). */
  isOurs(messageId: string): Promise<boolean>;

  thread(conversationId: string): Promise<EmailThread>;
  /**
   * Moves the conversation's emailed mark from `fromSeq` to `toSeq` (adding `ref` to the
   * thread when an email went out). Conditional: false when someone else moved it first.
   */
  advance(conversationId: string, fromSeq: number, toSeq: number, sent?: { ref: string; subject: string }): Promise<boolean>;

  presence: PresenceStore;
}

export interface PresenceStore {
  connected(customerId: string, instance: string): Promise<void>;
  disconnected(customerId: string, instance: string): Promise<void>;
  /** The instance is alive until `until`; its sockets count until then. */
  heartbeat(instance: string, until: Date): Promise<void>;
  /** A graceful stop: the instance's sockets stop counting now. */
  leave(instance: string): Promise<void>;
  /** Does the customer have a widget socket on any live instance? */
  online(customerId: string): Promise<boolean>;
}

const toEmail = (r: EmailsTable): StoredEmail => ({
  messageId: r.message_id,
  direction: r.direction as 'in' | 'out',
  conversationId: r.conversation_id,
  chatMessageId: r.chat_message_id,
  from: r.from_address,
  to: json(r.to_addresses, []),
  subject: r.subject,
  text: r.text_body,
  html: r.html_body,
  attachments: json(r.attachments, []),
  size: Number(r.size),
  via: r.via as StoredEmail['via'],
  outcome: r.outcome,
  createdAt: r.created_at,
});

export class KyselyEmail implements EmailStore {
  readonly presence: PresenceStore;

  constructor(private readonly db: Kysely<Database>) {
    this.presence = new KyselyPresence(db);
  }

  async record(mail: Omit<StoredEmail, 'createdAt'>): Promise<{ created: boolean; email: StoredEmail }> {
    const row = await this.db
      .insertInto('emails')
      .values({
        message_id: mail.messageId,
        direction: mail.direction,
        conversation_id: mail.conversationId,
        chat_message_id: mail.chatMessageId,
        from_address: mail.from,
        to_addresses: JSON.stringify(mail.to),
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        attachments: JSON.stringify(mail.attachments),
        size: mail.size,
        via: mail.via,
        outcome: mail.outcome,
        created_at: now(),
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return { created: true, email: toEmail(row) };
    return { created: false, email: (await this.get(mail.messageId))! };
  }

  async settle(messageId: string, outcome: string, link?: { conversationId: string; chatMessageId?: string | null }): Promise<void> {
    await this.db
      .updateTable('emails')
      .set({ outcome, ...(link ? { conversation_id: link.conversationId, chat_message_id: link.chatMessageId ?? null } : {}) })
      .where('message_id', '=', messageId)
      .execute();
  }

  async get(messageId: string): Promise<StoredEmail | undefined> {
    const row = await this.db.selectFrom('emails').selectAll().where('message_id', '=', messageId).executeTakeFirst();
    return row && toEmail(row);
  }

  async byChatMessage(chatMessageId: string): Promise<StoredEmail | undefined> {
    const row = await this.db.selectFrom('emails').selectAll().where('chat_message_id', '=', chatMessageId).executeTakeFirst();
    return row && toEmail(row);
  }

  async ofConversation(conversationId: string): Promise<StoredEmail[]> {
    const rows = await this.db.selectFrom('emails').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').execute();
    return rows.map(toEmail);
  }

  async isOurs(messageId: string): Promise<boolean> {
    const row = await this.db.selectFrom('emails').select('direction').where('message_id', '=', messageId).where('direction', '=', 'out').executeTakeFirst();
    return row !== undefined;
  }

  async thread(conversationId: string): Promise<EmailThread> {
    const row = await this.db.selectFrom('email_threads').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
    return row
      ? { conversationId, emailedSeq: Number(row.emailed_seq), sent: Number(row.sent), refs: json(row.refs, []), subject: row.subject }
      : { conversationId, emailedSeq: 0, sent: 0, refs: [], subject: '' };
  }

  async advance(conversationId: string, fromSeq: number, toSeq: number, sent?: { ref: string; subject: string }): Promise<boolean> {
    const t = now();
    const current = await this.thread(conversationId);
    if (current.emailedSeq !== fromSeq) return false;
    // Keep the thread's first and last references: enough for every mail client to thread.
    const refs = sent ? [...current.refs, sent.ref].slice(-20) : current.refs;
    const values = { emailed_seq: toSeq, sent: current.sent + (sent ? 1 : 0), refs: JSON.stringify(refs), subject: sent && !current.subject ? sent.subject : current.subject, updated_at: t };
    if (fromSeq === 0 && current.sent === 0 && current.refs.length === 0) {
      const inserted = await this.db
        .insertInto('email_threads')
        .values({ conversation_id: conversationId, ...values })
        .onConflict((oc) => oc.column('conversation_id').doNothing())
        .returning('conversation_id')
        .executeTakeFirst();
      if (inserted) return true;
    }
    const result = await this.db.updateTable('email_threads').set(values).where('conversation_id', '=', conversationId).where('emailed_seq', '=', fromSeq).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

class KyselyPresence implements PresenceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async connected(customerId: string, instance: string): Promise<void> {
    await this.db
      .insertInto('widget_presence')
      .values({ customer_id: customerId, instance, sockets: 1 })
      .onConflict((oc) => oc.columns(['customer_id', 'instance']).doUpdateSet({ sockets: sql`widget_presence.sockets + 1` }))
      .execute();
  }

  async disconnected(customerId: string, instance: string): Promise<void> {
    await this.db.updateTable('widget_presence').set({ sockets: sql`sockets - 1` }).where('customer_id', '=', customerId).where('instance', '=', instance).execute();
    await this.db.deleteFrom('widget_presence').where('customer_id', '=', customerId).where('instance', '=', instance).where('sockets', '<=', 0).execute();
  }

  async heartbeat(instance: string, until: Date): Promise<void> {
    await this.db
      .insertInto('instances')
      .values({ id: instance, alive_until: until.toISOString() })
      .onConflict((oc) => oc.column('id').doUpdateSet({ alive_until: until.toISOString() }))
      .execute();
  }

  async leave(instance: string): Promise<void> {
    await this.db.deleteFrom('widget_presence').where('instance', '=', instance).execute();
    await this.db.deleteFrom('instances').where('id', '=', instance).execute();
  }

  async online(customerId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('widget_presence as p')
      .innerJoin('instances as i', 'i.id', 'p.instance')
      .select('p.instance')
      .where('p.customer_id', '=', customerId)
      .where('p.sockets', '>', 0)
      .where('i.alive_until', '>', now())
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
