// Content script for bitbucket.org (Bitbucket Cloud has no self-hosted form).
import { startFamilyScript } from './start.ts';

void startFamilyScript({ family: 'bitbucket-cloud', builtinHost: 'bitbucket.org', recognises: () => false });
