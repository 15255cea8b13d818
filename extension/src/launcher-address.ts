// Checks the launcher address a person typed (options page) or a deployer baked in (LAUNCHER_URL). Pure: the
// build script and the extension pages share it. Never accepts credentials in the address or plain http:// off localhost.

/** `https://launchpod.example` from what a person typed; an error sentence when it is not a web origin. */
export function checkLauncherUrl(
  text: string,
): { ok: true; origin: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: 'Enter the launcher address, like https://launchpod.example.' };
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    return {
      ok: false,
      message: 'The launcher address must start with https:// (http:// only for localhost).',
    };
  if (url.username || url.password) return { ok: false, message: 'Leave the user name and password out.' };
  return { ok: true, origin: url.origin };
}
