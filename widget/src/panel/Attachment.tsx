import type { parseAttachment } from '../../../server/domain/attachments';
import { useUi } from './ui';

/** An image (with its preview) or a PDF sent in the conversation, with a download link. */
export function Attachment({ file, mine }: { file: NonNullable<ReturnType<typeof parseAttachment>>; mine: boolean }) {
  const { t } = useUi();
  return (
    <div class="att" style={{ alignSelf: mine ? 'flex-end' : 'flex-start' }}>
      {file.kind === 'image' && (
        <a href={file.url} target="_blank" rel="noopener noreferrer">
          <img src={file.url} alt={file.name} loading="lazy" />
        </a>
      )}
      <a href={`${file.url}?download`} download={file.name} rel="noopener noreferrer">
        📎 {t('download', { name: file.name })} <span class="hint">({file.kind === 'pdf' ? 'PDF, ' : ''}{file.size})</span>
      </a>
    </div>
  );
}
