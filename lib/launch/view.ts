import type { RunDetail } from "./queries";

// What the run page and its status endpoint send to the browser: dates as ISO strings, and
// nothing secret (user data and the public key stay on the server; the page says whether they
// were given).

export type RunView = Omit<RunDetail, "startedAt" | "finishedAt" | "choices"> & {
  startedAt: string;
  finishedAt: string | null;
  choices: Omit<RunDetail["choices"], "userData" | "publicKey"> & { hasUserData: boolean; hasPublicKey: boolean };
  jobState: string | null;
};

export function toRunView(run: RunDetail, jobState: string | null): RunView {
  const { userData, publicKey, ...choices } = run.choices;
  return {
    ...run,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    choices: { ...choices, hasUserData: Boolean(userData), hasPublicKey: Boolean(publicKey) },
    jobState,
  };
}
