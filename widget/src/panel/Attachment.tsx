import type { parseAttachment } from '../../../server/domain/attachments';
import { useUi } from './ui';

export const CLIP = 'M16.5 6.5v10.1a4.5 4.5 0 0 1-9 0V5.8a3 3 0 0 1 6 0v9.8a1.5 1.5 0 0 1-3 0V6.5H9v9.1a3 3 0 0 0 6 0V5.8a4.5 4.5 0 0 0-9 0v10.8a6 6 0 0 0 12 0V6.5h-1.5z';

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
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false" style={{ fill: 'currentColor', verticalAlign: '-2px', marginRight: '4px' }}>
          <path d={CLIP} />
        </svg>
        {t('download', { name: file.name })} <span class="hint">({file.kind === 'pdf' ? 'PDF, ' : ''}{file.size})</span>
      </a>
    </div>
  );
}
