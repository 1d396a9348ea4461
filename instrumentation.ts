export async function register() {
  // Only the Node server touches the database; the build never needs it. NEXT_RUNTIME and
  // NEXT_PHASE are Next's own (inlined per runtime), not configuration: see lib/env.ts.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  // First, so that every request carries its socket address (lib/auth/client-ip.ts).
  const { installPeerCapture } = await import("./lib/auth/client-ip");
  await installPeerCapture();
  const { startup } = await import("./lib/startup");
  await startup();
  const { startBackgroundWorker } = await import("./lib/worker/start");
  startBackgroundWorker();
}
