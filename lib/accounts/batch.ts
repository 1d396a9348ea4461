import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, providers, users, type Provider } from "@/lib/db/schema";
import type { OpenStackClient } from "@/lib/openstack/client";
import { AccountStepError, describeError } from "./errors";
import { prepareProvisioning, provisionAccount, timedPhase, type ProvisionEnv, type ProvisionOptions } from "./provision";
import { ensurePortalUsers, getOrCreateIdentity } from "./queries";
import { prepareRemoval, removeAccount, type RemoveEnv } from "./remove";

export type UserStatus = {
  status: "queued" | "running" | "done" | "failed";
  step: string | null;
  error: string | null;
  identityId: number | null;
  /** What was created or changed; empty for an account that was complete already. */
  changes?: string[];
};

/** What a job stores in its counts as it goes, and what the progress table renders. */
export type BatchCounts = {
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
  users: Record<string, UserStatus>;
};

type Report = (counts: BatchCounts, progressText: string, progress: number) => Promise<void>;

/**
 * Per-user status kept in memory and written out at most every `everyMs` (and at the end), so
 * 100 accounts × 7 steps do not become 700 writes of the whole table.
 */
export class StatusBoard {
  readonly #users: Record<string, UserStatus>;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> = Promise.resolve();
  #error: unknown = null;

  constructor(
    usernames: string[],
    readonly verb: string,
    private readonly report: Report | undefined,
    private readonly everyMs = 500,
  ) {
    // Prototype-less: a username such as "__proto__" is a key like any other.
    this.#users = Object.assign(
      Object.create(null) as Record<string, UserStatus>,
      Object.fromEntries(usernames.map((u) => [u, { status: "queued", step: null, error: null, identityId: null }])),
    );
  }

  get counts(): BatchCounts {
    const list = Object.values(this.#users);
    const n = (s: UserStatus["status"]) => list.filter((u) => u.status === s).length;
    return { total: list.length, queued: n("queued"), running: n("running"), done: n("done"), failed: n("failed"), users: this.#users };
  }

  set(username: string, patch: Partial<UserStatus>): void {
    this.#users[username] = { ...this.#users[username], ...patch };
    if (this.report && !this.#timer) this.#timer = setTimeout(() => void this.flush(), this.everyMs);
  }

  /** Writes the current state; a failure to write (e.g. the job was cancelled) surfaces via `failure`. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.report) return Promise.resolve();
    const c = this.counts;
    const text = `${c.done} done, ${c.failed} failed, ${c.running} running, ${c.queued} queued (of ${c.total} ${this.verb})`;
    const snapshot = structuredClone(c);
    this.#writing = this.#writing
      .then(() => this.report!(snapshot, text, c.total ? (c.done + c.failed) / c.total : 1))
      .catch((e) => {
        this.#error ??= e;
      });
    return this.#writing;
  }

  get failure(): unknown {
    return this.#error;
  }
}

/** Runs `work` over the items with at most `concurrency` at once; stops taking new ones when aborted. */
export async function eachWithConcurrency<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>, shouldStop?: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop?.()) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

export type BatchOptions = {
  concurrency?: number;
  signal?: AbortSignal;
  jobId?: string;
  report?: Report;
  reportEveryMs?: number;
  /** Each phase's wall time, per account, plus the run's one "prepare" (benchmarks). */
  timing?: ProvisionOptions["timing"];
};

/** What each user of a provisioning job on a deactivated provider is told. */
export const deactivatedMessage = (providerId: number) => `Provider ${providerId} is deactivated: activate it again to provision accounts on it.`;

/** Whether the provider is still active, asked at most once a second during a run. */
function activeCheck(db: Db, providerId: number, everyMs = 1_000): () => Promise<boolean> {
  let checked = 0;
  let active = true;
  return async () => {
    if (Date.now() - checked >= everyMs) {
      const [row] = await db.select({ isActive: providers.isActive }).from(providers).where(eq(providers.id, providerId));
      active = Boolean(row?.isActive);
      checked = Date.now();
    }
    return active;
  };
}

/**
 * A provisioning job for a provider deactivated after it was queued: every user fails with the
 * reason, nothing is looked up on the cloud. Returns the message, or null when the provider is active.
 */
export async function refuseIfDeactivated(
  db: Db,
  providerId: number,
  usernames: string[],
  options: Pick<BatchOptions, "report" | "reportEveryMs"> = {},
): Promise<string | null> {
  if (await activeCheck(db, providerId)()) return null;
  const message = deactivatedMessage(providerId);
  const board = new StatusBoard(usernames, "accounts", options.report, options.reportEveryMs);
  for (const u of usernames) board.set(u, { status: "failed", error: message });
  await board.flush();
  return message;
}

function stepOf(error: unknown, fallback: string | null): string | null {
  return error instanceof AccountStepError ? error.step : fallback;
}

/**
 * Provisions accounts for these usernames on the provider, `concurrency` users at a time.
 * Unknown usernames become portal users. Per-user status goes to `report` as it changes; one
 * user's failure never stops the others. Returns the final counts.
 */
export async function runProvisionBatch(
  db: Db,
  client: OpenStackClient,
  provider: Provider,
  accountSecret: string,
  params: { usernames: string[]; rebuild?: boolean },
  options: BatchOptions = {},
): Promise<BatchCounts> {
  const board = new StatusBoard(params.usernames, "accounts", options.report, options.reportEveryMs);
  await board.flush();
  let env: ProvisionEnv;
  try {
    env = await timedPhase("prepare", options.timing, () => prepareProvisioning(db, client, provider, accountSecret));
  } catch (error) {
    const message = describeError(error, [accountSecret]);
    for (const u of params.usernames) board.set(u, { status: "failed", error: message });
    await board.flush();
    throw new Error(message);
  }
  const { users: portalUsers } = await ensurePortalUsers(db, params.usernames);
  const byName = new Map(portalUsers.map((u) => [u.username.toLowerCase(), u]));
  const stopped = () => Boolean(options.signal?.aborted || board.failure);
  // Deactivating the provider stops the run: the users not started yet fail with the reason.
  const active = activeCheck(db, provider.id);

  await eachWithConcurrency(
    params.usernames,
    options.concurrency ?? 4,
    async (username) => {
      const user = byName.get(username.toLowerCase());
      let step: string | null = null;
      if (!(await active())) {
        board.set(username, { status: "failed", error: deactivatedMessage(provider.id) });
        return;
      }
      try {
        if (!user) throw new Error(`There is no portal user ${username}.`);
        const identity = await getOrCreateIdentity(db, user, provider.id);
        board.set(username, { status: "running", identityId: identity.id });
        const outcome = await provisionAccount(db, client, env, identity, user.username, {
          rebuild: params.rebuild,
          signal: options.signal,
          jobId: options.jobId,
          timing: options.timing,
          onStep: (s) => {
            step = s;
            board.set(username, { step: s });
          },
        });
        board.set(username, { status: "done", step: outcome.identity.lastStep, changes: outcome.changes, error: null });
      } catch (error) {
        if (options.signal?.aborted) return;
        board.set(username, { status: "failed", step: stepOf(error, step), error: describeError(error, [accountSecret]) });
      }
    },
    stopped,
  );
  await board.flush();
  if (board.failure) throw board.failure;
  return board.counts;
}

/** Removes these identities of the provider, `concurrency` at a time; per-user status as above. */
export async function runRemoveBatch(
  db: Db,
  client: OpenStackClient,
  provider: Provider,
  params: { identityIds: number[] },
  options: BatchOptions = {},
): Promise<BatchCounts> {
  const rows = params.identityIds.length
    ? await db
        .select({ identity: identities, username: users.username })
        .from(identities)
        .innerJoin(users, eq(users.id, identities.userId))
        .where(and(eq(identities.providerId, provider.id), inArray(identities.id, params.identityIds), isNull(identities.endDate)))
    : [];
  const board = new StatusBoard(
    rows.map((r) => r.username),
    "removals",
    options.report,
    options.reportEveryMs,
  );
  for (const r of rows) board.set(r.username, { identityId: r.identity.id });
  await board.flush();
  let env: RemoveEnv;
  try {
    env = await prepareRemoval(client, provider);
  } catch (error) {
    const message = describeError(error, []);
    for (const r of rows) board.set(r.username, { status: "failed", error: message });
    await board.flush();
    throw new Error(message);
  }
  const stopped = () => Boolean(options.signal?.aborted || board.failure);
  await eachWithConcurrency(
    rows,
    options.concurrency ?? 4,
    async ({ identity, username }) => {
      let step: string | null = null;
      board.set(username, { status: "running" });
      try {
        const outcome = await removeAccount(db, client, env, identity, username, {
          signal: options.signal,
          jobId: options.jobId,
          onStep: (s) => {
            step = s;
            board.set(username, { step: s });
          },
        });
        board.set(username, { status: "done", step: "removed", changes: outcome.removed, error: null });
      } catch (error) {
        if (options.signal?.aborted) return;
        board.set(username, { status: "failed", step: stepOf(error, step), error: describeError(error, []) });
      }
    },
    stopped,
  );
  await board.flush();
  if (board.failure) throw board.failure;
  return board.counts;
}

/** One line for a job's error when some users failed. */
export function failureSummary(counts: BatchCounts, verb: string): string {
  const failed = Object.entries(counts.users).filter(([, s]) => s.status === "failed");
  const names = failed.slice(0, 5).map(([u]) => u).join(", ");
  const more = failed.length > 5 ? ` and ${failed.length - 5} more` : "";
  return `${failed.length} of ${counts.total} ${verb} failed (${names}${more}); see each user's error, then retry them.`;
}
