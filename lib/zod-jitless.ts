/**
 * Turns on zod's `jitless` mode without importing zod (the browser entry must stay small:
 * importing `zod/v4/core` for `config()` alone ships all of zod's core, ~70 KB compressed).
 * Zod keeps its settings on `globalThis.__zod_globalConfig` and adopts an existing object there,
 * so this works whether it runs before or after zod loads; lib/zod-jitless.test.ts checks that
 * against the installed zod.
 */
export function enableZodJitless(): void {
  const g = globalThis as { __zod_globalConfig?: Record<string, unknown> };
  g.__zod_globalConfig ??= {};
  g.__zod_globalConfig.jitless = true;
}
