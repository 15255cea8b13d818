// JSON for a `<script type="application/json">` element in a server-rendered page: it can never close the script
// element or open a comment, whatever strings it holds (`</script>` becomes `\u003c/script\u003e`).

export function safeJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}
