import type { ChatMessage } from '../../domain/transcript';
import { escapeHtml } from '../../help/html';
import { renderMarkdown } from '../../help/pages';
import type { LinkAction } from './tokens';

/** One email: HTML and plain text with the same content. */
export interface RenderedEmail {
  html: string;
  text: string;
}

export interface RenderInput {
  /** The team's name, from EMAIL_FROM. */
  team: string;
  /** What is new since the last email (agent replies, bot answers, the CES question). */
  messages: ChatMessage[];
  /** The few messages before, for context. */
  context: ChatMessage[];
  /** Signed link for an action on this conversation. */
  link(action: LinkAction): string;
  /** Web conversations get "Continue in chat"; email conversations are the chat. */
  continueInChat: boolean;
}

const CES_LABELS: Record<number, string> = { 1: 'very difficult', 4: 'neither', 7: 'very easy' };

const who = (m: ChatMessage, team: string) => (m.author === 'customer' ? 'You' : m.author === 'agent' ? (m.authorName ?? team) : team);

/** Text of a message as one line of context ("You: …"), or nothing for what is not said. */
function contextLine(m: ChatMessage): string | undefined {
  const c = m.content;
  if (c.type === 'text') return c.text;
  if (c.type === 'action') return c.label;
  if (c.type === 'article') return `${c.title} — ${c.url}`;
  return undefined;
}

interface Part {
  html: string;
  text: string;
}

/** A stored message as email content, with its buttons as one-click links. */
function part(m: ChatMessage, input: RenderInput): Part | undefined {
  const c = m.content;
  const byline = `<p style="margin:0 0 4px;color:#57606a;font-size:13px">${escapeHtml(who(m, input.team))}</p>`;
  switch (c.type) {
    case 'text':
      // The chat's Markdown rendering, sanitised: the same words look the same in both places.
      return { html: `${byline}<div>${renderMarkdown(c.text)}</div>`, text: `${who(m, input.team)}:\n${c.text}` };
    case 'article': {
      const feedback = c.askFeedback
        ? {
            html: `<p>${button(input.link('solved'), 'This solved my problem')} ${button(input.link('help'), 'I still need help')}</p>`,
            text: `\nThis solved my problem: ${input.link('solved')}\nI still need help: ${input.link('help')}`,
          }
        : { html: '', text: '' };
      return {
        html: `${byline}<div style="border:1px solid #d8dee4;border-radius:8px;padding:12px"><p style="margin:0 0 6px"><a href="${escapeHtml(c.url)}"><strong>${escapeHtml(c.title)}</strong></a></p><p style="margin:0">${escapeHtml(c.summary)}</p></div>${feedback.html}`,
        text: `${who(m, input.team)}:\n${c.title}\n${c.summary}\nRead it: ${c.url}${feedback.text}`,
      };
    }
    case 'choices':
      return { html: `${byline}<p>${escapeHtml(c.text)}</p><ul>${c.choices.map((x) => `<li>${escapeHtml(x.label)}</li>`).join('')}</ul>`, text: `${c.text}\n${c.choices.map((x) => `- ${x.label}`).join('\n')}` };
    case 'ces': {
      const scores = c.scale === 'three-choice' ? [1, 4, 7] : [1, 2, 3, 4, 5, 6, 7];
      const label = (s: number) => (c.scale === 'three-choice' ? ({ 1: 'Difficult', 4: 'Neutral', 7: 'Easy' } as Record<number, string>)[s]! : String(s));
      const links = scores.map((s) => ({ s, url: input.link(`ces${s}` as LinkAction) }));
      return {
        html: `<p><strong>${escapeHtml(c.question)}</strong></p><p>${links.map(({ s, url }) => button(url, label(s), true)).join(' ')}</p>${c.scale === 'three-choice' ? '' : '<p style="color:#57606a;font-size:13px">1 = very difficult, 7 = very easy</p>'}`,
        text: `${c.question}\n${links.map(({ s, url }) => `${label(s)}${CES_LABELS[s] && c.scale !== 'three-choice' ? ` (${CES_LABELS[s]})` : ''}: ${url}`).join('\n')}`,
      };
    }
    case 'csat':
    case 'nps': {
      // The follow-up surveys the service asks after a CES answer (settings decide which): one-click links too.
      const scores = c.type === 'csat' ? [1, 2, 3, 4, 5] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      const links = scores.map((s) => ({ s, url: input.link(`${c.type}${s}` as LinkAction) }));
      const legend = c.type === 'csat' ? '1 = very dissatisfied, 5 = very satisfied' : '0 = not at all likely, 10 = extremely likely';
      return {
        html: `<p><strong>${escapeHtml(c.question)}</strong></p><p>${links.map(({ s, url }) => button(url, String(s), true)).join(' ')}</p><p style="color:#57606a;font-size:13px">${legend}</p>`,
        text: `${c.question} (${legend})\n${links.map(({ s, url }) => `${s}: ${url}`).join('\n')}`,
      };
    }
    default:
      // Email requests and events are chat-only.
      return undefined;
  }
}

function button(url: string, label: string, small = false): string {
  const pad = small ? '6px 12px' : '8px 14px';
  return `<a href="${escapeHtml(url)}" style="display:inline-block;padding:${pad};margin:2px;border-radius:6px;background:#0f2a66;color:#ffffff;text-decoration:none">${escapeHtml(label)}</a>`;
}

/** The email for a batch of new messages: what is new, a little context, and the way back to the chat. */
export function renderEmail(input: RenderInput): RenderedEmail {
  const parts = input.messages.map((m) => part(m, input)).filter((p): p is Part => !!p);
  const context = input.context.map((m) => ({ m, line: contextLine(m) })).filter((x): x is { m: ChatMessage; line: string } => !!x.line);
  const contextHtml = context.length
    ? `<div style="margin-top:24px;border-top:1px solid #d8dee4;padding-top:12px;color:#57606a;font-size:13px"><p style="margin:0 0 6px">Earlier in this conversation</p>${context
        .map(({ m, line }) => `<p style="margin:0 0 4px"><strong>${escapeHtml(who(m, input.team))}:</strong> ${escapeHtml(line)}</p>`)
        .join('')}</div>`
    : '';
  const contextText = context.length ? `\n\n-- Earlier in this conversation --\n${context.map(({ m, line }) => `${who(m, input.team)}: ${line}`).join('\n')}` : '';
  const cont = input.continueInChat
    ? { html: `<p style="margin-top:20px">${button(input.link('continue'), 'Continue in chat')}</p><p style="color:#57606a;font-size:13px">Or simply reply to this email.</p>`, text: `\n\nContinue in chat: ${input.link('continue')}\nOr simply reply to this email.` }
    : { html: '<p style="color:#57606a;font-size:13px">Reply to this email to answer.</p>', text: '\n\nReply to this email to answer.' };
  const html = `<!doctype html><html><body style="font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;max-width:640px">${parts
    .map((p) => `<div style="margin:0 0 16px">${p.html}</div>`)
    .join('')}${cont.html}${contextHtml}</body></html>`;
  const text = `${parts.map((p) => p.text).join('\n\n')}${cont.text}${contextText}\n`;
  return { html, text };
}
