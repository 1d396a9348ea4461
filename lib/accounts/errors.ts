import { isStatus } from "@/lib/openstack/core/errors";
import { redactSecrets } from "@/lib/redact";

/** A step of one account failed; the message is OpenStack's (redacted), ready to show. */
export class AccountStepError extends Error {
  override name = "AccountStepError";
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/** A provider-wide problem found before any account was touched (missing role, router, domain…). */
export class AccountSetupError extends Error {
  override name = "AccountSetupError";
}

/** The value, or null when the cloud says 404. */
export async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (isStatus(e, 404)) return null;
    throw e;
  }
}

/** Runs a delete-like call; a 404 means it is gone already, which is what we wanted. */
export async function ignoreNotFound(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    if (isStatus(e, 404)) return false;
    throw e;
  }
}

/**
 * Creates something, or when a concurrent creator won the race (409), returns what it made:
 * lookups by name happen before creates, so only a race can reach the conflict.
 */
export async function createOrFind<T>(create: () => Promise<T>, find: () => Promise<T | null>): Promise<T> {
  try {
    return await create();
  } catch (e) {
    if (!isStatus(e, 409)) throw e;
    const found = await find();
    if (found) return found;
    throw e;
  }
}

/** A message for an operator: OpenStack's own words, with every known secret masked. */
export function describeError(error: unknown, secrets: Array<string | null | undefined>): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message, secrets);
}
