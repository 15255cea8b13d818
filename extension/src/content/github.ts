// Content script for github.com and granted GitHub Enterprise origins.
import { metaContent, startFamilyScript } from './start.ts';

void startFamilyScript({
  family: 'github',
  builtinHost: 'github.com',
  // GitHub Enterprise Server pages carry `hostname` and `application-name` "GitHub".
  recognises: (doc) =>
    metaContent(doc, 'application-name') === 'GitHub' || metaContent(doc, 'hostname') !== undefined,
});
