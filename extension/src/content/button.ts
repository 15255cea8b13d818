// The "Workspace" split button: a real <a href="<launcher>/#<context>"> (middle-click, open in new tab and copy
// link all work) plus a menu. Built with createElement/textContent only: page data never goes through innerHTML.

import type { HostFamilyId } from '../../../shared/launch-request.ts';
import type { PageContext } from './page-context.ts';

export const BUTTON_ATTR = 'data-launchpod-button';
export type PrebuildState = 'ready' | 'building' | 'none';

export interface ButtonOptions {
  readonly family: HostFamilyId;
  readonly floating: boolean;
  readonly newTab: boolean;
  readonly shortcut: string;
  /** Asked when no launcher address is set: opens the extension's options. */
  readonly onNeedsLauncher: () => void;
}

export interface LaunchButton {
  readonly root: HTMLElement;
  update(page: PageContext): void;
  setPrebuild(state: PrebuildState | undefined): void;
}

const SVG = 'http://www.w3.org/2000/svg';

function icon(path: string, size = 16): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'currentColor');
  const p = document.createElementNS(SVG, 'path');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}

// A rocket-ish launch glyph and a chevron, 16×16.
const LAUNCH_ICON = 'M9.5 1.5 14.5 1.5 14.5 6.5 12.6 4.6 8 9.2 6.8 8 11.4 3.4ZM2 3h5v1.5H3.5v8h8V9H13v5H2Z';
const CHEVRON = 'M4.4 6 8 9.6 11.6 6l1 1L8 11.6 3.4 7Z';
const PREBUILD_TEXT: Record<PrebuildState, string> = {
  ready: 'Prebuild ready',
  building: 'Prebuild in progress',
  none: 'No prebuild yet',
};

export function createLaunchButton(options: ButtonOptions): LaunchButton {
  ensureStyles();
  const root = document.createElement('div');
  root.setAttribute(BUTTON_ATTR, '');
  root.className = `lp-split lp-${options.family}${options.floating ? ' lp-floating' : ''}`;
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', 'Launchpod');

  const main = document.createElement('a');
  main.className = 'lp-main';
  const label = document.createElement('span');
  label.textContent = 'Workspace';
  const dot = document.createElement('span');
  dot.className = 'lp-dot';
  dot.hidden = true;
  main.append(icon(LAUNCH_ICON), label, dot);

  const more = document.createElement('button');
  more.type = 'button';
  more.className = 'lp-more';
  more.setAttribute('aria-haspopup', 'menu');
  more.setAttribute('aria-expanded', 'false');
  more.setAttribute('aria-label', 'More ways to open in a workspace');
  more.append(icon(CHEVRON, 12));

  const menu = document.createElement('div');
  menu.className = 'lp-menu';
  menu.setAttribute('role', 'menu');
  menu.hidden = true;
  const open = menuLink('Open', options.shortcut);
  const withOptions = menuLink('Open with options…');
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.setAttribute('role', 'menuitem');
  copy.className = 'lp-item';
  copy.textContent = 'Copy launch link';
  menu.append(open, withOptions, copy);
  root.append(main, more, menu);

  let current: PageContext | undefined;
  const setMenu = (show: boolean) => {
    menu.hidden = !show;
    more.setAttribute('aria-expanded', String(show));
    if (show) open.focus();
  };
  more.addEventListener('click', () => setMenu(menu.hidden === true));
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      setMenu(false);
      more.focus();
    } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !menu.hidden) {
      const items = [open, withOptions, copy];
      const at = items.indexOf(document.activeElement as HTMLAnchorElement);
      const step = event.key === 'ArrowDown' ? 1 : items.length - 1;
      items[(at + step) % items.length]?.focus();
      event.preventDefault();
    }
  });
  document.addEventListener('click', (event) => {
    if (!menu.hidden && !root.contains(event.target as Node)) setMenu(false);
  });
  copy.addEventListener('click', () => {
    if (current?.launchUrl === undefined) return options.onNeedsLauncher();
    void navigator.clipboard.writeText(current.launchUrl).then(
      () => {
        copy.textContent = 'Copied';
        setTimeout(() => {
          copy.textContent = 'Copy launch link';
        }, 1500);
      },
      () => {
        copy.textContent = 'Copy failed: use the link’s own menu';
      },
    );
  });
  for (const link of [main, open, withOptions]) {
    link.addEventListener('click', (event) => {
      if (current?.launchUrl !== undefined) return;
      event.preventDefault();
      options.onNeedsLauncher();
    });
  }

  const target = (a: HTMLAnchorElement, href: string | undefined) => {
    if (href === undefined) a.removeAttribute('href');
    else a.href = href;
    if (options.newTab) {
      a.target = '_blank';
      a.rel = 'noopener';
    }
  };

  return {
    root,
    update(page) {
      current = page;
      root.dataset.kind = page.kind;
      target(main, page.launchUrl);
      target(open, page.launchUrl);
      target(withOptions, page.optionsUrl);
      const hint =
        page.launchUrl === undefined
          ? 'Set the launcher address in Launchpod’s options'
          : 'Open in a workspace';
      main.title = `${hint} (${options.shortcut})`;
      main.setAttribute('aria-label', `${hint}, shortcut ${options.shortcut}`);
    },
    setPrebuild(state) {
      dot.hidden = state === undefined;
      if (state === undefined) {
        delete root.dataset.prebuild;
        return;
      }
      root.dataset.prebuild = state;
      dot.title = PREBUILD_TEXT[state];
      dot.setAttribute('aria-label', PREBUILD_TEXT[state]);
      dot.setAttribute('role', 'img');
    },
  };
}

function menuLink(text: string, shortcut?: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.setAttribute('role', 'menuitem');
  a.className = 'lp-item';
  a.textContent = text;
  if (shortcut) {
    const kbd = document.createElement('kbd');
    kbd.textContent = shortcut;
    a.append(kbd);
  }
  return a;
}

const STYLE_ID = 'launchpod-style';

/** One <style> per document; host colours through the hosts' own CSS variables, with light/dark fallbacks. */
function ensureStyles(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (document.head ?? document.documentElement).append(style);
}

const CSS = `
.lp-split{--lp-bg:#f6f8fa;--lp-fg:#1f2328;--lp-border:rgba(31,35,40,.15);--lp-hover:#eaeef2;--lp-menu:#fff;
display:inline-flex;position:relative;vertical-align:middle;align-items:stretch;margin:0 4px;font:500 12px/20px -apple-system,BlinkMacSystemFont,"Segoe UI",sans-serif;z-index:20}
.lp-github{--lp-bg:var(--button-default-bgColor-rest,#f6f8fa);--lp-fg:var(--button-default-fgColor-rest,#25292e);--lp-border:var(--button-default-borderColor-rest,rgba(31,35,40,.15));--lp-hover:var(--button-default-bgColor-hover,#eff2f5);--lp-menu:var(--overlay-bgColor,#fff)}
.lp-gitlab{--lp-bg:#fff;--lp-fg:#3a383f;--lp-border:#bfbfc3;--lp-hover:#ececef;font-size:14px}
.lp-bitbucket-cloud,.lp-bitbucket-server{--lp-bg:#091e420f;--lp-fg:#172b4d;--lp-border:transparent;--lp-hover:#091e4224;font-size:14px}
@media (prefers-color-scheme:dark){.lp-split{--lp-bg:#21262d;--lp-fg:#e6edf3;--lp-border:#363b42;--lp-hover:#30363d;--lp-menu:#161b22}}
[data-color-mode=dark] .lp-github,.gl-dark .lp-gitlab,html[data-color-mode=dark] .lp-split{--lp-bg:#21262d;--lp-fg:#e6edf3;--lp-border:#3d444d;--lp-hover:#30363d;--lp-menu:#151b23}
[data-color-mode=light] .lp-github{--lp-bg:#f6f8fa;--lp-fg:#25292e;--lp-border:rgba(31,35,40,.15);--lp-hover:#eff2f5;--lp-menu:#fff}
.lp-split .lp-main,.lp-split .lp-more{display:inline-flex;align-items:center;gap:6px;padding:3px 10px;color:var(--lp-fg);background:var(--lp-bg);border:1px solid var(--lp-border);text-decoration:none;cursor:pointer;font:inherit}
.lp-split .lp-main{border-radius:6px 0 0 6px}
.lp-split .lp-more{border-radius:0 6px 6px 0;border-left:0;padding:3px 6px}
.lp-split .lp-main:hover,.lp-split .lp-more:hover{background:var(--lp-hover);text-decoration:none}
.lp-split a:focus-visible,.lp-split button:focus-visible{outline:2px solid #0969da;outline-offset:-2px}
.lp-dot{width:8px;height:8px;border-radius:50%;background:#8c959f}
.lp-split[data-prebuild=ready] .lp-dot{background:#1a7f37}.lp-split[data-prebuild=building] .lp-dot{background:#bf8700}
.lp-menu{position:absolute;top:100%;right:0;margin-top:4px;min-width:200px;padding:4px;background:var(--lp-menu,#fff);border:1px solid var(--lp-border);border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.2);display:flex;flex-direction:column}
.lp-menu[hidden]{display:none}
.lp-item{display:flex;justify-content:space-between;gap:12px;padding:6px 8px;border:0;border-radius:6px;background:none;color:var(--lp-fg);text-align:left;text-decoration:none;cursor:pointer;font:inherit}
.lp-item:hover,.lp-item:focus{background:var(--lp-hover);text-decoration:none}
.lp-item kbd{font:11px ui-monospace,monospace;opacity:.7}
.lp-floating{position:fixed;right:16px;bottom:16px;z-index:2147483000;box-shadow:0 4px 12px rgba(0,0,0,.25);border-radius:6px}
.lp-floating .lp-menu{top:auto;bottom:100%;margin:0 0 4px}
li>.lp-split{margin:0}
`;
