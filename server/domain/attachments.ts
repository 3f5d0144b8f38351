/**
 * Attachments travel as a Markdown link in an ordinary message — `📎 [invoice.pdf](https://…/api/attachments/ID/invoice.pdf) · PDF, 120 KB`
 * — so every channel shows something useful (Slack, Teams and email a link, the widget and the
 * console a preview or a download). Pure: the widget and the console import it too.
 */

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** What we accept, by the file's content (magic bytes), never by its name. */
export const ATTACHMENT_TYPES: Record<string, { kind: 'image' | 'pdf'; ext: string }> = {
  'image/png': { kind: 'image', ext: 'png' },
  'image/jpeg': { kind: 'image', ext: 'jpg' },
  'image/gif': { kind: 'image', ext: 'gif' },
  'image/webp': { kind: 'image', ext: 'webp' },
  'application/pdf': { kind: 'pdf', ext: 'pdf' },
};

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file name safe for a URL path segment, a header and a message: no paths, no control characters, no brackets. */
export function cleanFileName(name: string, ext: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f[\]()<>"'`*_]/g, '')
    .trim()
    .slice(0, 100);
  const stem = base.replace(/\.[^.]*$/, '') || 'file';
  return `${stem}.${ext}`;
}

export function attachmentMarkdown(a: { name: string; url: string; mime: string; size: number }): string {
  const kind = ATTACHMENT_TYPES[a.mime]?.kind === 'pdf' ? 'PDF' : 'image';
  return `📎 [${a.name}](${a.url}) · ${kind}, ${formatSize(a.size)}`;
}

const PATTERN = /^📎 \[([^\]\n]+)\]\((https?:\/\/[^)\s]+\/api\/attachments\/[\w-]+\/[^)\s]+)\) · (image|PDF), ([\d.]+ (?:B|KB|MB))$/;

/** The attachment a message carries, if it is one. */
export function parseAttachment(text: string): { name: string; url: string; kind: 'image' | 'pdf'; size: string } | null {
  const m = PATTERN.exec(text.trim());
  if (!m) return null;
  return { name: m[1]!, url: m[2]!, kind: m[3] === 'PDF' ? 'pdf' : 'image', size: m[4]! };
}
