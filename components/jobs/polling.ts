// When the live views stop polling. Pure, so the rules are unit-tested without a browser.

/** A failed poll, with the HTTP status when the server answered. */
export class PollError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "PollError";
  }
}

/** 401/403/404: asking again every second will not change the answer. */
export function isFinalPollError(error: unknown): boolean {
  return error instanceof PollError && error.status !== null && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

const LIVE_JOB = new Set(["queued", "running"]);
const ENDED_JOB = new Set(["succeeded", "failed"]);

/** For a job's progress bar: every `everyMs` while it is queued or running (or not read yet). */
export function jobPollInterval(data: { state: string } | undefined, error: unknown, everyMs = 1000): number | false {
  if (isFinalPollError(error)) return false;
  if (!data) return error ? false : everyMs;
  return LIVE_JOB.has(data.state) ? everyMs : false;
}

/**
 * For a launch run's page: while the run or its clean-up is going. Its job ending (succeeded or
 * failed) means nothing will change the run any more, even if the run row still says it is
 * going (a worker that died for good, a clean-up job that failed before it started): stop then
 * instead of polling forever. A cancelled job still cleans up before the run ends, so it is
 * followed until the run says so.
 */
export function runPollInterval(
  run: { state: string; jobState: string | null; report: { cleanup?: { state?: string } } } | undefined,
  error: unknown,
  everyMs = 1000,
): number | false {
  if (isFinalPollError(error)) return false;
  if (!run) return error ? false : everyMs;
  const going = run.state === "queued" || run.state === "running" || run.report.cleanup?.state === "running";
  if (!going) return false;
  return run.jobState !== null && ENDED_JOB.has(run.jobState) ? false : everyMs;
}

/** fetch → JSON, throwing PollError with the server's message and status. */
export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) throw new PollError((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`, res.status);
  return res.json() as Promise<T>;
}
