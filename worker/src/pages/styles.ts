// The launcher's one stylesheet, served at /assets/launchpod.css (CSP: styles from 'self' only).
export const stylesheet = `
:root { --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0; --accent: #0969da;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --bg: #0d1117; --panel: #151b23;
  --line: #3d444d; --accent: #4493f8; --ok: #3fb950; --bad: #f85149; --warn: #d29922; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
/* Read by screen readers, not drawn: a label the placeholder and button already show. */
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.5; }
.top { padding: 12px 24px; border-bottom: 1px solid var(--line); }
.top .nav { margin-left: 16px; color: var(--muted); text-decoration: none; }
.brand { font-weight: 700; color: var(--fg); text-decoration: none; font-size: 1.1rem; }
main { max-width: 760px; margin: 32px auto; padding: 0 24px; }
h1 { font-size: 1.6rem; margin: 0 0 8px; }
p.lead { color: var(--muted); margin-top: 0; }
form.open { display: flex; gap: 8px; margin: 24px 0; }
form.open input[type=url], form.open input[type=text] { flex: 1; padding: 10px 12px; font-size: 1rem; border: 1px solid var(--line);
  border-radius: 6px; background: var(--panel); color: var(--fg); }
button, .button { padding: 10px 16px; font-size: 1rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent);
  color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; background: var(--panel); border: 1px solid var(--line);
  border-radius: 8px; padding: 16px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; }
.notice { border-left: 4px solid var(--warn); background: var(--panel); padding: 8px 12px; margin: 16px 0; }
.notice.bad { border-color: var(--bad); }
.notice.ok { border-color: var(--ok); }
ol.phases { list-style: none; padding: 0; display: flex; gap: 8px; flex-wrap: wrap; }
ol.phases li { padding: 4px 10px; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }
ol.phases li.done { color: var(--ok); border-color: var(--ok); }
ol.phases li.current { color: var(--fg); border-color: var(--accent); font-weight: 600; }
ol.phases li.failed { color: var(--bad); border-color: var(--bad); }
pre.detail { white-space: pre-wrap; background: var(--panel); padding: 12px; border-radius: 6px; border: 1px solid var(--line); }
ul.doors { padding-left: 20px; }
.snippet { display: grid; grid-template-columns: 1fr max-content; gap: 4px 8px; margin: 8px 0; }
.snippet label { grid-column: 1 / -1; color: var(--muted); }
.snippet textarea { font-family: ui-monospace, monospace; font-size: 0.85rem; padding: 8px; border: 1px solid var(--line);
  border-radius: 6px; background: var(--panel); color: var(--fg); resize: vertical; field-sizing: content;
  min-width: 0; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.actions form { margin: 0; }
pre.log { white-space: pre-wrap; max-height: 18rem; overflow: auto; background: var(--panel); padding: 8px 12px;
  border-radius: 6px; border: 1px solid var(--line); font-size: 0.85rem; }
ul.workspaces { list-style: none; padding: 0; }
ul.workspaces li { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; background: var(--panel); }
ul.workspaces .phase { color: var(--muted); font-size: 0.9em; }
.muted { color: var(--muted); font-size: 0.9em; }
.bad { color: var(--bad); }
`;
