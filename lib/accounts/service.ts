import crypto from "node:crypto";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProvider } from "@/lib/db/queries/providers";
import type { Job } from "@/lib/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import { accountSettings } from "@/lib/providers/connection";
import { PROVISION_JOB, REMOVE_JOB } from "./jobs";
import { UnsafeTextError } from "@/lib/domain/dns-name";
import { buildFederatedCloudsYaml, buildOpenrc, openrcFileName } from "./openrc";
import {
  accountIdsMatching,
  candidateUsernamesMatching,
  ensurePortalUsers,
  getAccount,
  liveAccountsByIds,
  type AccountStateFilter,
} from "./queries";
import { isValidUsername, parseUsernameList } from "./usernames";

/** Most accounts one job takes (a search matching more is refused with a message). */
export const MAX_BATCH = 10_000;

export type AccountSelection = {
  /** A pasted list: commas, new lines, spaces. */
  usernamesText?: string;
  usernames?: string[];
  /** Every portal user without an account matching the search ("users" view). */
  candidatesMatching?: { q?: string };
  /** Every account matching the search ("accounts" view). */
  accountsMatching?: { q?: string; state?: AccountStateFilter };
};

async function requireProvider(db: Db, providerId: number) {
  const provider = await getProvider(db, providerId);
  if (!provider) throw new ActionError("not_found", `There is no provider ${providerId}.`);
  return provider;
}

const digest = (parts: unknown) => crypto.createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);

/** The usernames a selection stands for, in order and without duplicates. */
export async function resolveUsernames(db: Db, providerId: number, selection: AccountSelection): Promise<string[]> {
  const names: string[] = [];
  if (selection.usernamesText) {
    const { usernames, invalid } = parseUsernameList(selection.usernamesText);
    if (invalid.length) {
      throw new ActionError("invalid_input", `These are not valid usernames: ${invalid.slice(0, 10).join(", ")}. Use letters, digits, . _ @ + -.`, {
        usernamesText: [`Not valid: ${invalid.slice(0, 10).join(", ")}`],
      });
    }
    names.push(...usernames);
  }
  for (const u of selection.usernames ?? []) {
    if (!isValidUsername(u)) throw new ActionError("invalid_input", `"${u}" is not a valid username.`);
    names.push(u);
  }
  if (selection.candidatesMatching) names.push(...(await candidateUsernamesMatching(db, providerId, selection.candidatesMatching.q, MAX_BATCH + 1)));
  if (selection.accountsMatching) names.push(...(await accountIdsMatching(db, providerId, selection.accountsMatching, MAX_BATCH + 1)).map((r) => r.username));
  const seen = new Set<string>();
  const unique = names.filter((n) => {
    const k = n.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (unique.length > MAX_BATCH) throw new ActionError("invalid_input", `That is more than ${MAX_BATCH} users: narrow the search.`);
  return unique;
}

/**
 * Queues provisioning for the selected users on the provider; unknown usernames become
 * portal users (not staff) first. The same request twice while the first is queued or
 * running returns the first job.
 */
export async function startProvisioning(
  db: Db,
  input: { providerId: number; selection: AccountSelection; rebuild?: boolean; createdBy?: number | null },
): Promise<{ job: Job; queued: boolean; usernames: string[]; createdUsers: string[] }> {
  const provider = await requireProvider(db, input.providerId);
  if (!provider.isActive) {
    throw new ActionError("conflict", `Provider ${provider.id} ("${provider.name}") is deactivated: activate it again to provision accounts on it.`);
  }
  const wanted = await resolveUsernames(db, input.providerId, input.selection);
  if (wanted.length === 0) throw new ActionError("invalid_input", "Choose at least one user.", { usernamesText: ["Enter at least one username."] });
  const { users, created } = await ensurePortalUsers(db, wanted);
  const usernames = users.map((u) => u.username);
  const rebuild = Boolean(input.rebuild);
  const { job, created: queued } = await enqueueJob(db, {
    kind: PROVISION_JOB,
    providerId: input.providerId,
    params: { providerId: input.providerId, usernames, rebuild },
    createdBy: input.createdBy ?? null,
    maxAttempts: 3,
    dedupeKey: `${PROVISION_JOB}:${input.providerId}:${digest([usernames.map((u) => u.toLowerCase()).sort(), rebuild])}`,
  });
  return { job, queued, usernames, createdUsers: created };
}

/** Queues removal of the selected accounts (live ones of this provider). */
export async function startRemoval(
  db: Db,
  input: { providerId: number; identityIds?: number[]; matching?: { q?: string; state?: AccountStateFilter }; createdBy?: number | null },
): Promise<{ job: Job; queued: boolean; usernames: string[] }> {
  await requireProvider(db, input.providerId);
  const picked = new Map<number, string>();
  // One query for every picked id (up to MAX_BATCH), not one per account.
  for (const a of await liveAccountsByIds(db, input.providerId, input.identityIds ?? [])) picked.set(a.id, a.username);
  if (input.matching) {
    const rows = await accountIdsMatching(db, input.providerId, { ...input.matching, state: input.matching.state === "removed" ? "live" : input.matching.state }, MAX_BATCH + 1);
    for (const r of rows) picked.set(r.id, r.username);
  }
  if (picked.size === 0) throw new ActionError("invalid_input", "Choose at least one account that has not been removed.");
  if (picked.size > MAX_BATCH) throw new ActionError("invalid_input", `That is more than ${MAX_BATCH} accounts: narrow the search.`);
  const identityIds = [...picked.keys()].sort((a, b) => a - b);
  const { job, created: queued } = await enqueueJob(db, {
    kind: REMOVE_JOB,
    providerId: input.providerId,
    params: { providerId: input.providerId, identityIds },
    createdBy: input.createdBy ?? null,
    maxAttempts: 3,
    dedupeKey: `${REMOVE_JOB}:${input.providerId}:${digest(identityIds)}`,
  });
  return { job, queued, usernames: [...picked.values()] };
}

/** The openrc of one account (the password is asked for when it is sourced, never written). */
export async function openrcForAccount(db: Db, providerId: number, identityId: number, format: "openrc" | "clouds.yaml" = "openrc") {
  const provider = await requireProvider(db, providerId);
  const account = await getAccount(db, providerId, identityId);
  if (!account) throw new ActionError("not_found", `Provider ${providerId} has no account ${identityId}.`);
  if (account.endDate) throw new ActionError("conflict", `The account of ${account.username} was removed.`);
  if (!account.projectId) throw new ActionError("conflict", `The account of ${account.username} has no project yet: provision it first.`);
  const federation = accountSettings(provider).federation ?? undefined;
  if (format === "clouds.yaml" && !federation) {
    throw new ActionError("invalid_input", "A per-account clouds.yaml is exported for federated providers only; use the openrc.");
  }
  let body: string;
  try {
    const fileInput = {
      authUrl: provider.authUrl,
      region: provider.region,
      username: account.username,
      projectName: account.projectName,
      projectId: account.projectId,
      domain: accountSettings(provider).domain,
      providerName: provider.name,
      federation,
    };
    body = format === "clouds.yaml" && federation ? buildFederatedCloudsYaml({ ...fileInput, federation }) : buildOpenrc(fileInput);
  } catch (error) {
    if (error instanceof UnsafeTextError) throw new ActionError("invalid_input", error.message);
    throw error;
  }
  const fileName = openrcFileName(account.username, provider.name);
  return { account, provider, fileName: format === "clouds.yaml" ? fileName.replace(/-openrc\.sh$/, "-clouds.yaml") : fileName, body };
}
