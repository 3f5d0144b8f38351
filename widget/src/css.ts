/**
 * Attach CSS to a shadow root as a constructable stylesheet, so the host page's CSS can't reach
 * in and ours can't leak out. Browsers without adoptedStyleSheets get a <style> in the shadow root.
 */
export function adoptCss(root: ShadowRoot, css: string, nonce?: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    if (nonce) style.nonce = nonce;
    style.textContent = css;
    root.appendChild(style);
  }
}
