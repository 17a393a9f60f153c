/** Relative luminance (WCAG) of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Text colour readable on the brand colour: white unless the colour is light. */
export function onAccent(hex: string): string {
  return luminance(hex) > 0.45 ? '#111827' : '#ffffff';
}

/**
 * Everything lives in a shadow root: the host page's CSS cannot reach in and ours cannot leak out.
 * `:host { all: initial }` also stops inherited properties (font, colour, line height) of the page.
 */
export const CSS = `
:host{all:initial}
*{box-sizing:border-box}
.root{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937;-webkit-font-smoothing:antialiased}
button,input,textarea{font:inherit;color:inherit}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{width:58px;height:58px;border-radius:50%;border:0;background:var(--accent);color:var(--on);cursor:pointer;display:grid;place-items:center;box-shadow:0 6px 24px rgba(17,24,39,.22);transition:transform .15s ease,box-shadow .15s ease;margin-left:auto;position:relative}
.launcher:hover{transform:translateY(-1px) scale(1.03);box-shadow:0 10px 28px rgba(17,24,39,.28)}
.launcher svg{width:28px;height:28px}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#ef4444;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.launcher:focus-visible{outline-offset:3px}
.panel{position:absolute;right:0;bottom:74px;width:370px;height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 16px 48px rgba(17,24,39,.22),0 2px 6px rgba(17,24,39,.08);animation:rise .18s ease-out}
.panel[hidden]{display:none}
@keyframes rise{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}
.head{display:flex;align-items:center;gap:12px;padding:16px 14px 16px 18px;background:var(--accent);color:var(--on)}
.avatar{flex:none;width:38px;height:38px;border-radius:50%;display:grid;place-items:center;background:rgba(255,255,255,.2)}
.avatar svg{width:22px;height:22px}
.who{flex:1;min-width:0}
.who h2{margin:0;font-size:16px;font-weight:650;line-height:1.25;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.who p{margin:2px 0 0;font-size:12.5px;opacity:.85}
.x{flex:none;width:34px;height:34px;border:0;border-radius:8px;background:transparent;color:inherit;cursor:pointer;display:grid;place-items:center}
.x:hover{background:rgba(255,255,255,.16)}
.x svg{width:20px;height:20px}
.body{flex:1;overflow-y:auto;padding:16px 14px 8px;background:#f6f7f9;scroll-behavior:smooth}
.log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.msg{display:flex;flex-direction:column;max-width:82%;align-self:flex-start}
.msg.me{align-self:flex-end;align-items:flex-end}
.who-label{font-size:11.5px;color:#6b7280;margin:8px 0 2px 4px}
.bubble{padding:9px 13px;border-radius:16px 16px 16px 4px;background:#fff;box-shadow:0 1px 2px rgba(17,24,39,.06);white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}
.me .bubble{background:var(--accent);color:var(--on);border-radius:16px 16px 4px 16px}
.meta{font-size:11px;color:#9ca3af;margin:2px 6px 0}
.failed .bubble{opacity:.6}
.failed .meta{color:#dc2626}
.meta button{border:0;background:none;padding:0;margin-left:4px;color:#dc2626;text-decoration:underline;cursor:pointer;font-size:11px}
.notice{align-self:center;font-size:12px;color:#6b7280;background:#eef0f3;border-radius:10px;padding:4px 10px;margin:6px 0}
.prechat{background:#fff;border-radius:12px;padding:16px;margin-top:12px;display:flex;flex-direction:column;gap:10px;box-shadow:0 1px 2px rgba(17,24,39,.06)}
.prechat[hidden]{display:none}
.prechat p{margin:0 0 2px;color:#4b5563}
.prechat label{display:flex;flex-direction:column;gap:4px;font-size:12.5px;font-weight:600;color:#374151}
.prechat input{font-weight:400;font-size:14px;padding:9px 11px;border:1px solid #d1d5db;border-radius:8px;background:#fff;outline:none}
.prechat input:focus{border-color:var(--accent);box-shadow:0 0 0 3px var(--ring)}
.primary{border:0;border-radius:8px;padding:10px 14px;background:var(--accent);color:var(--on);font-weight:600;cursor:pointer}
.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 10px 10px 14px;border-top:1px solid #eceef1;background:#fff}
.composer[hidden]{display:none}
.composer textarea{flex:1;resize:none;border:0;outline:none;background:transparent;max-height:120px;min-height:22px;padding:8px 0;line-height:1.4}
.send{flex:none;width:38px;height:38px;border:0;border-radius:10px;background:var(--accent);color:var(--on);cursor:pointer;display:grid;place-items:center;transition:opacity .15s}
.send:disabled{opacity:.4;cursor:default}
.send svg{width:18px;height:18px}
.foot{text-align:center;font-size:11px;color:#9ca3af;padding:0 0 8px;background:#fff}
@media (max-width:480px){
  .root{right:14px;bottom:14px}
  .panel{position:fixed;inset:0;width:auto;height:auto;border-radius:0;bottom:0}
  .launcher.is-open{display:none}
}
@media (prefers-reduced-motion:reduce){.panel{animation:none}.launcher{transition:none}.body{scroll-behavior:auto}}
`;
