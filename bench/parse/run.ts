// One measurement of bench/parse inside one build of the grammar: this file is bundled by bench/parse.ts with the
// settings a consumer ships it with (or run as it is by tsx), and prints one JSON line. Asserts nothing.

import { parseLaunchInput } from '../../shared/context-url.ts';
import { corpus, registry } from './corpus.ts';

if (!registry.ok) throw new Error(registry.error);
const hosts = registry.value;

let parsedOk = 0;
for (const input of corpus) if (parseLaunchInput(input, hosts).ok) parsedOk++;

// Rounds of 200 passes over the corpus, timed in this process's CPU time (user + system): other work on the
// machine slows the wall clock of a round, not the CPU time it takes.
const rounds: number[] = [];
const passes = 200;
for (let round = 0; round < 9; round++) {
  const start = process.cpuUsage();
  for (let pass = 0; pass < passes; pass++) {
    for (const input of corpus) parseLaunchInput(input, hosts);
  }
  const used = process.cpuUsage(start);
  rounds.push((corpus.length * passes) / ((used.user + used.system) / 1e6));
}
// The first rounds warm the JIT up; the figure is the median of the rest.
const warm = rounds.slice(2).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    corpus: corpus.length,
    parsedOk,
    parsesPerSecondMedian: Math.round(warm[Math.floor(warm.length / 2)] ?? 0),
    parsesPerSecondRange: [Math.round(warm[0] ?? 0), Math.round(warm.at(-1) ?? 0)],
  }),
);
