// The launcher's icon, the extension's drawn as SVG: a launch-blue rounded square with a white diagonal stroke.
// Served at /favicon.svg (linked from every page) and at /favicon.ico, which browsers ask for on their own.
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6.4" fill="#1f6feb"/><path d="M9 9 23 23" stroke="#fff" stroke-width="3.2" stroke-linecap="round"/></svg>`;
