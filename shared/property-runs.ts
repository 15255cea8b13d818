// How many cases a property test tries: the number it asks for, capped while `npm run mutation` runs the suite
// against thousands of mutants (mutation/setup.ts sets the cap). Test support only: no app code imports it.
export function propertyRuns(runs: number): number {
  const cap = (globalThis as { launchpodPropertyRunCap?: number }).launchpodPropertyRunCap;
  return cap === undefined ? runs : Math.min(runs, cap);
}
