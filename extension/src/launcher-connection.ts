// The options page's "Test connection": asks the launcher's public status API (cookie-less, open to every origin)
// whether a Launchpod launcher answers at an address. Sends nothing but an empty status question to that address.

export interface ConnectionCheck {
  readonly ok: boolean;
  readonly message: string;
}

export async function testLauncherConnection(
  origin: string,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 5000,
): Promise<ConnectionCheck> {
  let response: Response;
  try {
    response = await fetchImpl(`${origin}/api/v1/status?url=`, {
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      ok: false,
      message: `${origin} did not answer${timedOut ? ` within ${timeoutMs / 1000} s` : ''}. Check the address, and that the launcher is running and reachable from this computer.`,
    };
  }
  // The status API answers every question with `launchable` (false for an empty one); its rate limit with 429.
  const body = (await response.json().catch(() => undefined)) as { launchable?: unknown } | undefined;
  if (response.status === 429 || typeof body?.launchable === 'boolean')
    return { ok: true, message: `Connected: the Launchpod launcher at ${origin} answered.` };
  return {
    ok: false,
    message: `${origin} answered (HTTP ${response.status}), but not as a Launchpod launcher. Check the address.`,
  };
}
