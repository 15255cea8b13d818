// bench/parse inside workerd: the worker bundle's grammar in the runtime that runs it. bench/parse.ts bundles this
// with the worker build's settings and asks it for passes over the corpus (`GET /?passes=N`); the CPU time is read
// from outside (workerd's clocks stand still while a request runs). Answers how many inputs parsed; asserts nothing.

import { parseLaunchInput } from '../../shared/context-url.ts';
import { corpus, registry } from './corpus.ts';

export default {
  fetch(request: Request): Response {
    if (!registry.ok) return new Response(registry.error, { status: 500 });
    const hosts = registry.value;
    const passes = Number(new URL(request.url).searchParams.get('passes') ?? '1');
    let parsedOk = 0;
    for (let pass = 0; pass < passes; pass++) {
      for (const input of corpus) if (parseLaunchInput(input, hosts).ok) parsedOk++;
    }
    return new Response(String(parsedOk));
  },
};
