/** Bundles the widget (`src/main.ts`) into one minified script; returns its code. */
export function bundleWidget(): Promise<string>;
