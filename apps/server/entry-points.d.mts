/** Bundle name → source path relative to apps/server. */
export const entryPoints: Record<string, string>;
