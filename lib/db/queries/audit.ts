import { and, count, desc, eq, ilike, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { auditLog } from "../schema";

export type AuditActor = { id: number | null; username: string };
export type AuditInput = {
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  ip?: string | null;
};

// Keys whose values must never reach the audit log, whatever a caller passes.
const SECRET_KEY = /pass(word)?|secret|token|credential/i;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      // A boolean cannot carry a secret, and flags like `withSecrets: true` must stay readable.
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && typeof v !== "boolean" ? "[redacted]" : scrub(v),
      ]),
    );
  }
  return value;
}

/** Appends one audit-log row; the only way anything writes to the audit log. */
export async function createAuditEntry(db: Db, actor: AuditActor, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    actorId: actor.id,
    actorUsername: actor.username,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    details: (scrub(entry.details ?? {}) as Record<string, unknown>) ?? {},
    ip: entry.ip ?? null,
  });
}

export type AuditFilter = { actor?: string; action?: string; page?: number; pageSize?: number };

/** Lists audit entries newest first, filtered by actor (exact) and action (prefix), one page at a time. */
export async function listAuditEntries(db: Db, filter: AuditFilter = {}) {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
  const page = Math.max(filter.page ?? 1, 1);
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(auditLog.actorUsername, filter.actor));
  if (filter.action) where.push(ilike(auditLog.action, `${filter.action.replace(/[%_\\]/g, "\\$&")}%`));
  const cond = where.length ? and(...where) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(cond)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(auditLog).where(cond),
  ]);
  return { rows, total: Number(total), page, pageSize };
}

/** Distinct action names, for the filter's suggestions. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((r) => r.action);
}
