// Content script for bitbucket.org (Bitbucket Cloud has no self-hosted form).
import { bitbucketCloud } from '../../../shared/hosts/bitbucket-cloud.ts';
import { startFamilyScript } from './start.ts';

void startFamilyScript({ family: bitbucketCloud, builtinHost: 'bitbucket.org', recognises: () => false });
