/**
 * All widget CSS, as strings (no CSS files in the build). Colours are chosen for WCAG AA:
 * #1d4ed8 on white 6.7:1, #4b5563 on white 7.6:1 and on #f3f4f6 6.9:1, #b91c1c on white 6.5:1.
 */

/** Loader: the launcher, its badge and the slot the panel renders into. */
export const LOADER_CSS = `
:host{all:initial}
.root{--ad-brand:#1d4ed8;--ad-on:#fff;--ad-ink:#1d4ed8;--ad-hover:#1e3a8a;--ad-soft:#eff6ff;visibility:hidden;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827}
.root.ready{visibility:visible}
.root.left,.left .slot{left:20px;right:auto}
.launcher{position:relative;width:56px;height:56px;border-radius:50%;border:0;margin:0;padding:0;background:var(--ad-brand,#1d4ed8);color:var(--ad-on,#fff);cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:hover{background:var(--ad-hover,#1e3a8a)}
.launcher:focus-visible{outline:3px solid var(--ad-ink,#1d4ed8);outline-offset:3px;box-shadow:0 0 0 3px #fff}
.launcher svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center;pointer-events:none}
.badge:empty{min-width:0;padding:0;background:transparent}
.open .launcher,.open .badge{display:none}
.slot{position:fixed;right:20px;bottom:20px;width:380px;height:min(640px,calc(100vh - 40px))}
.slot[hidden]{display:none}
.loading button{font:inherit;border:0;border-radius:8px;background:var(--ad-brand,#1d4ed8);color:var(--ad-on,#fff);padding:8px 14px;cursor:pointer}
.loading button:focus-visible{outline:2px solid var(--ad-ink,#1d4ed8);outline-offset:2px}
.loading{height:100%;display:flex;flex-direction:column;gap:12px;align-items:center;justify-content:center;background:#fff;border:1px solid #d1d5db;border-radius:12px;color:#374151;padding:20px;box-sizing:border-box;text-align:center}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (max-width:480px){.slot,.left .slot{right:0;left:0;bottom:0;width:100vw;height:100vh;height:100dvh}}
`;

/**
 * Panel: added to the same shadow root when panel.js mounts. Brand colours come from custom
 * properties set by the loader (see brand.ts): --ad-brand/--ad-on for filled areas, --ad-ink for
 * brand-coloured text on white, --ad-soft for tints.
 */
export const PANEL_CSS = `
.panel{display:flex;flex-direction:column;height:100%;box-sizing:border-box;background:#fff;color:#111827;border:1px solid #d1d5db;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden}
.panel *,.panel *::before,.panel *::after{box-sizing:border-box}
.panel :where(button,input,textarea){font:inherit;color:inherit}
.panel :focus-visible{outline:2px solid var(--ad-ink);outline-offset:2px}
.head{background:var(--ad-brand);color:var(--ad-on);padding:14px 14px 12px;display:flex;flex-wrap:wrap;align-items:center;gap:10px}
.head :focus-visible{outline-color:currentColor}
.head .titles{flex:1;min-width:0}
.head h2{margin:0;font-size:16px;font-weight:650;line-height:1.3}
.head .avail{margin:2px 0 0;font-size:13px;display:flex;align-items:center;gap:6px}
.dot{width:8px;height:8px;border-radius:50%;background:#22c55e;box-shadow:0 0 0 2px var(--ad-brand);flex:none}
.dot.off{background:#9ca3af}
.logo{width:36px;height:36px;border-radius:10px;object-fit:cover;background:#fff;flex:none}
.faces{display:flex;flex:none}.faces .av{width:32px;height:32px;font-size:13px;margin-left:-8px;background:var(--ad-hover);box-shadow:0 0 0 2px var(--ad-brand)}.faces .av:first-child{margin-left:0}
.icon{width:32px;height:32px;border:0;border-radius:8px;background:transparent;color:inherit;cursor:pointer;display:flex;align-items:center;justify-content:center;padding:0}
.icon:hover{background:var(--ad-hover)}
.icon svg{width:18px;height:18px;fill:currentColor}
.human{flex-basis:100%;border:0;border-radius:999px;background:#fff;color:var(--ad-ink);font-weight:600;padding:7px 12px;cursor:pointer}
.human:hover{background:var(--ad-soft)}
.status{margin:0;padding:7px 14px;background:var(--ad-soft);color:var(--ad-ink);font-size:13px;border-bottom:1px solid #e5e7eb}
.status:empty{display:none}
.log{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:6px;background:#fafafa}
.log:focus-visible{outline-offset:-2px}
.who{font-size:12px;color:#4b5563;margin:8px 0 0;display:flex;align-items:center;gap:6px}
.who.mine{align-self:flex-end}
.av{width:24px;height:24px;border-radius:50%;background:var(--ad-brand);color:var(--ad-on);font-size:11px;font-weight:700;display:inline-flex;align-items:center;justify-content:center;flex:none;overflow:hidden}
.av img{width:100%;height:100%;object-fit:cover}
.av.bot{background:#374151;color:#fff}
.bubble{max-width:85%;padding:8px 12px;border-radius:16px;overflow-wrap:anywhere;margin:0}
.bubble p{margin:0}.bubble p+p,.bubble ul,.bubble ol{margin:6px 0 0}.bubble ul,.bubble ol{padding-left:20px}
.bubble code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:rgba(0,0,0,.07);padding:1px 4px;border-radius:4px}
.them{align-self:flex-start;background:#fff;color:#111827;border:1px solid #e5e7eb;border-bottom-left-radius:4px}
.me{align-self:flex-end;background:var(--ad-brand);color:var(--ad-on);border-bottom-right-radius:4px;white-space:pre-wrap}
.me a{color:inherit}
.press{align-self:flex-end;background:var(--ad-soft);color:var(--ad-ink);font-size:13px;padding:4px 10px;border-radius:999px;max-width:85%;overflow-wrap:anywhere;margin:0}
.meta{align-self:flex-end;font-size:12px;color:#4b5563;margin:-2px 4px 0;display:flex;gap:8px;align-items:center}
.meta.failed{color:#b91c1c}
.system{align-self:center;font-size:12px;color:#4b5563;text-align:center;margin:6px 0;padding:2px 10px;border-radius:999px;background:#f3f4f6}
.welcome{align-self:stretch;background:#fff;border:1px solid #e5e7eb;border-radius:14px;padding:14px;margin:0;font-size:14px;display:flex;gap:10px;align-items:flex-start}
.welcome p{margin:0}
.starts{align-self:stretch;background:#fff;border:1px solid #e5e7eb;border-radius:14px;padding:10px 14px;font-size:14px}.starts h3{margin:0 0 4px;font-size:12px;font-weight:600;color:#4b5563;text-transform:uppercase;letter-spacing:.03em}.starts ul{list-style:none;margin:0;padding:0}.starts li{padding:6px 0;border-top:1px solid #f3f4f6}.starts li:first-child{border-top:0}.starts a{text-decoration:none;font-weight:600}.starts a:hover{text-decoration:underline}
.card{align-self:flex-start;max-width:90%;border:1px solid #e5e7eb;border-radius:12px;padding:10px 12px;background:#fff}
.card h3{margin:0 0 4px;font-size:15px}
.card p{margin:0 0 8px;font-size:14px;color:#374151}
.panel a{color:var(--ad-ink)}
.ask{margin-top:8px;display:flex;flex-wrap:wrap;gap:6px;align-items:center;font-size:14px}
.ask p{margin:0}
.row{display:flex;flex-wrap:wrap;gap:6px}
.btn{border:1px solid var(--ad-ink);background:#fff;color:var(--ad-ink);border-radius:999px;padding:5px 12px;cursor:pointer;line-height:1.3}
.btn:hover{background:var(--ad-soft)}
.btn[aria-pressed=true]{background:var(--ad-ink);color:#fff}
.btn[disabled]{border-color:#d1d5db;color:#4b5563;background:#f9fafb;cursor:default}
.btn[disabled][aria-pressed=true]{background:var(--ad-ink);border-color:var(--ad-ink);color:#fff}
.primary{border:0;border-radius:10px;background:var(--ad-brand);color:var(--ad-on);padding:8px 14px;cursor:pointer;font-weight:600}
.primary:hover{background:var(--ad-hover)}
.primary[disabled]{background:#e5e7eb;color:#4b5563;cursor:default}
.link{border:0;background:none;padding:0;color:var(--ad-ink);text-decoration:underline;cursor:pointer;font-size:12px}
.widget{align-self:stretch;border:1px solid #e5e7eb;border-radius:12px;padding:10px 12px;display:flex;flex-direction:column;gap:8px;font-size:14px;background:#fff}
.widget p{margin:0}
.widget label{display:flex;flex-direction:column;gap:4px;font-size:13px;color:#374151}
.field{border:1px solid #6b7280;border-radius:8px;padding:6px 8px;background:#fff;width:100%}
.hint{font-size:12px;color:#4b5563}
.done{color:#166534;font-weight:600}
.err{color:#b91c1c;font-size:13px;margin:0}
.offline{padding:8px 12px;background:#fafafa}
.typing{min-height:0;margin:0;padding:0 14px;font-size:13px;color:#4b5563;background:#fafafa}
.typing:not(:empty){padding:4px 14px 8px}
.typing:not(:empty)::before{content:"";display:inline-block;width:18px;height:6px;margin-right:6px;vertical-align:middle;background:radial-gradient(circle,#6b7280 2px,transparent 2.5px) 0 0/6px 6px repeat-x}
.alert{margin:0 12px 8px;padding:8px 10px;border:1px solid #fecaca;background:#fef2f2;color:#991b1b;border-radius:8px;font-size:13px;display:flex;gap:8px;align-items:flex-start;justify-content:space-between}
.alert .link{color:#991b1b}
.suggest{border-top:1px solid #e5e7eb;padding:8px 14px 0;max-height:40%;overflow-y:auto}
.suggest h3{margin:0 0 4px;font-size:12px;font-weight:600;color:#4b5563;text-transform:uppercase;letter-spacing:.03em}
.suggest ul{list-style:none;margin:0;padding:0}
.suggest li{margin:0 0 6px}
.suggest a{display:block;font-size:14px;font-weight:600;text-decoration:none;border-radius:6px;padding:2px 4px}
.suggest a:hover{text-decoration:underline}
.suggest span{display:block;font-size:12px;font-weight:400;color:#4b5563}
.composer{border-top:1px solid #e5e7eb;padding:10px 12px;display:flex;flex-direction:column;gap:4px}
.composer .line{display:flex;gap:8px;align-items:flex-end}
.composer textarea{flex:1;resize:none;min-height:44px;max-height:120px;border:1px solid #6b7280;border-radius:10px;padding:10px;background:#fff;line-height:1.4}
.file{width:44px;height:44px;border:1px solid #d1d5db;border-radius:10px;background:#fff;color:#374151;cursor:pointer;display:flex;align-items:center;justify-content:center;padding:0;flex:none}
.file:hover{background:#f3f4f6}.file svg{width:20px;height:20px;fill:currentColor}
.att{display:flex;flex-direction:column;gap:4px;max-width:85%}.att img{max-width:220px;max-height:180px;border-radius:10px;border:1px solid #e5e7eb;display:block}
.att a{font-size:13px}
.counter{font-size:12px;color:#4b5563;margin:0;text-align:right}
.counter.over{color:#b91c1c;font-weight:600}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (max-width:480px){.panel{border-radius:0;border:0}}
@media (prefers-reduced-motion:no-preference){.panel{animation:adin .16s ease-out}@keyframes adin{from{opacity:0;transform:translateY(8px)}}}
`;
