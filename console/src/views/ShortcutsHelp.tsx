import { useEffect, useRef } from 'preact/hooks';
import { SHORTCUTS } from '../shortcuts';

/** The `?` sheet: every keyboard shortcut, in a native modal dialog (focus trap, Esc closes). */
export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
  }, []);
  return (
    <dialog ref={dialog} class="settings shortcuts" aria-labelledby="shortcuts-title" onClose={onClose} onCancel={onClose} data-testid="shortcuts-help">
      <div class="dialog-head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" class="ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <table class="compact">
        <caption class="sr-only">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </dialog>
  );
}
