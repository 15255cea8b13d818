import { describe, expect, it } from 'vitest';
import { giteaPage } from './gitea-page.ts';
import type { PageSignals } from './page-signals.ts';

const signals = (partial: Partial<PageSignals>): PageSignals => ({
  meta: {},
  ogSiteName: '',
  configScript: '',
  jsonScriptIds: [],
  poweredBy: '',
  ...partial,
});

describe('Gitea / Forgejo page detection', () => {
  it('recognises a rebranded instance by its inline config alone, and reads its sub-path', () => {
    const page = signals({
      configScript: "window.config = {\n appUrl: 'https:\\/\\/corp.example\\/git\\/',\n appSubUrl: '\\/git',",
      ogSiteName: 'Acme Code',
      meta: { keywords: 'acme' },
    });
    expect(giteaPage.recognises?.(page)).toBe(true);
    expect(giteaPage.basePath?.(page)).toBe('/git');
  });

  it('reads the pre-1.16 `AppSubUrl`, the root and the ≤ 1.13 head attribute', () => {
    expect(giteaPage.basePath?.(signals({ configScript: "window.config = { AppSubUrl: ''," }))).toBe('');
    expect(giteaPage.basePath?.(signals({ headSubUrl: '/gitea' }))).toBe('/gitea');
    expect(giteaPage.recognises?.(signals({ headSubUrl: '' }))).toBe(true);
  });

  it('recognises the default footer and keywords, and nothing else', () => {
    expect(giteaPage.recognises?.(signals({ poweredBy: 'Forgejo' }))).toBe(true);
    expect(giteaPage.recognises?.(signals({ meta: { keywords: 'go,git,self-hosted,gitea' } }))).toBe(true);
    expect(giteaPage.recognises?.(signals({ ogSiteName: 'GitLab' }))).toBe(false);
    expect(giteaPage.recognises?.(signals({ configScript: 'window.config = { foo: 1 }' }))).toBe(false);
  });

  it('refuses a sub-path that is not a plain path', () => {
    expect(
      giteaPage.basePath?.(signals({ configScript: "appSubUrl: 'javascript:alert(1)'," })),
    ).toBeUndefined();
  });
});
