import EmailReplyParser from 'email-reply-parser';

/**
 * The customer's own words of a reply: quoted history and signatures removed by
 * email-reply-parser (Crisp's maintained port of GitHub's parser: "On … wrote:" in ten
 * locales, "Sent from my iPhone", "-- " signatures, Outlook's "From: … Sent: …" blocks).
 * Two layouts it leaves alone are cut here as well: Outlook's underscore rule before the
 * quoted header, and a bare "-----Original Message-----".
 */
const OUTLOOK_HEADER = /^(_{20,}|-{3,}\s*Original Message\s*-{3,})\s*$/im;
const FORWARD_HEADER = /^\s*(From|De|Von):\s.+\n\s*(Sent|Date|Envoyé|Gesendet):\s.+$/im;

export function stripReply(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  let visible: string;
  try {
    visible = new EmailReplyParser().parseReply(normalised);
  } catch {
    visible = normalised;
  }
  for (const marker of [OUTLOOK_HEADER, FORWARD_HEADER]) {
    const m = marker.exec(visible);
    if (m && m.index > 0) visible = visible.slice(0, m.index);
  }
  return visible.trim();
}
