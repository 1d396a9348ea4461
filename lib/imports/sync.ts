import { and, eq, getTableColumns, isNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/lib/db/client";
import { machines, sizes, volumes } from "@/lib/db/schema";
import { rowsOf } from "@/lib/db/rows";
import { differs, withoutNul, type ImportTally } from "./run";

type Table = typeof sizes | typeof machines | typeof volumes;
type Insert<T extends Table> = T["$inferInsert"];
type Select<T extends Table> = T["$inferSelect"];

/** How one end-dated, never-deleted table is kept in step with a cloud listing. */
export type SyncSpec<T extends Table> = {
  table: T;
  /** The cloud's id of a row (flavor id, image id). */
  keyColumn: PgColumn;
  key: (row: Insert<T>) => string;
  /** Compared to decide between updated and unchanged; also what an upsert overwrites. */
  fields: readonly (keyof Select<T> & keyof Insert<T> & string)[];
  label: (row: Insert<T> | Select<T>) => string;
  /** Extra columns an upsert of a changed row sets (SQL over the stored row and `excluded`). */
  onChange?: Record<string, SQL>;
};

/**
 * Writes one batch in one transaction: new rows are added, changed ones updated, end-dated ones
 * brought back, and every row gets this run's marker (which the end-dating step relies on).
 */
export async function writeBatch<T extends Table>(
  db: Db,
  spec: SyncSpec<T>,
  providerId: number,
  rows: Insert<T>[],
  tally: ImportTally,
  seenAt: Date,
): Promise<void> {
  if (rows.length === 0) return;
  // The same id twice in one batch would make the upsert touch a row twice (an error in Postgres).
  const byKey = new Map(rows.map((r) => withoutNul(r)).map((r) => [spec.key(r), r]));
  const table = spec.table as Table;
  const cols = getTableColumns(table) as Record<string, PgColumn>;
  const keyName = (spec.keyColumn as PgColumn).name;
  const total = byKey.size;
  let unchanged = 0;
  const marker = { lastSeenRun: tally.runId, lastSeenAt: seenAt };
  await db.transaction(async (tx) => {
    // The batch travels as one JSON parameter (json_to_recordset: json, not jsonb, which Postgres would parse twice as slowly) rather than one parameter per
    // value: building a 500-row, 15-column statement value by value cost more than Postgres's
    // work on it.
    //
    // First the common case of a resync, in one statement: a live row whose every synced field
    // Postgres finds equal gets this run's marker and nothing else, and only its key comes back.
    // Whatever that statement did not touch (new, end-dated, changed — or equal in a way only the
    // comparison below sees) takes the row-by-row path after it, so the result is the same as
    // comparing every row here, with no stored row read or mapped for an unchanged image.
    const fieldCols = spec.fields.map((f) => cols[f]);
    const recordType = sql.raw([`"${keyName}" ${(spec.keyColumn as PgColumn).getSQLType()}`, ...fieldCols.map((c) => `"${c.name}" ${c.getSQLType()}`)].join(", "));
    const incoming = JSON.stringify(
      [...byKey.entries()].map(([key, r]) => {
        const out: Record<string, unknown> = { [keyName]: key };
        for (const [i, f] of spec.fields.entries()) out[fieldCols[i].name] = (r as Record<string, unknown>)[f] ?? null;
        return out;
      }),
    );
    const same = sql.join(
      fieldCols.map((c) => sql.raw(`t."${c.name}" is not distinct from x."${c.name}"`)),
      sql` and `,
    );
    const touched = rowsOf<{ key: string }>(await tx.execute(sql`
      update ${table} as t set "last_seen_run" = ${marker.lastSeenRun}, "last_seen_at" = ${seenAt.toISOString()}::timestamptz
      from json_to_recordset(${incoming}::json) as x(${recordType})
      where t."provider_id" = ${providerId} and t.${sql.raw(`"${keyName}"`)} = x.${sql.raw(`"${keyName}"`)} and t."end_date" is null and ${same}
      returning t.${sql.raw(`"${keyName}"`)} as key`));
    for (const { key } of touched) byKey.delete(key);
    unchanged += touched.length;
    if (byKey.size === 0) return;

    const existing = (await tx
      .select()
      .from(table)
      .where(and(eq(table.providerId, providerId), sql`${spec.keyColumn} in (select jsonb_array_elements_text(${JSON.stringify([...byKey.keys()])}::jsonb))`))) as Select<T>[];
    const stored = new Map(existing.map((r) => [spec.key(r as Insert<T>), r]));
    const write: Insert<T>[] = [];
    const touch: number[] = [];
    for (const [key, row] of byKey) {
      const old = stored.get(key);
      if (!old) {
        tally.note("added", spec.label(row));
        write.push(row);
      } else if (old.endDate) {
        tally.note("restored", spec.label(row));
        write.push(row);
      } else if (differs(old as Record<string, unknown>, row as Record<string, unknown>, spec.fields)) {
        tally.note("updated", spec.label(row));
        write.push(row);
      } else {
        unchanged++;
        touch.push(old.id);
      }
    }
    if (write.length) {
      const rowsOut = write.map((r) => ({ ...r, ...marker }) as Record<string, unknown>);
      const keys = [...new Set(rowsOut.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))];
      const names = keys.map((k) => {
        const col = cols[k];
        if (!col) throw new Error(`${k} is not a column of the imported table`);
        return col.name;
      });
      const list = sql.raw(names.map((n) => `"${n}"`).join(", "));
      const types = sql.raw(keys.map((k) => `"${cols[k].name}" ${cols[k].getSQLType()}`).join(", "));
      const data = JSON.stringify(rowsOut.map((r) => Object.fromEntries(keys.map((k, i) => [names[i], r[k] ?? null]))));
      const set: SQL[] = [sql`"end_date" = null`, sql`"updated_at" = now()`, sql`"last_seen_run" = excluded."last_seen_run"`, sql`"last_seen_at" = excluded."last_seen_at"`];
      for (const f of spec.fields) set.push(sql.raw(`"${cols[f].name}" = excluded."${cols[f].name}"`));
      for (const [k, v] of Object.entries(spec.onChange ?? {})) set.push(sql`${sql.raw(`"${cols[k].name}"`)} = ${v}`);
      await tx.execute(sql`
        insert into ${table} (${list})
        select ${list} from json_to_recordset(${data}::json) as x(${types})
        on conflict ("provider_id", ${sql.raw(`"${(spec.keyColumn as PgColumn).name}"`)}) do update set ${sql.join(set, sql`, `)}`);
    }
    if (touch.length) {
      // updated_at says when the row last changed: seeing it again is not a change (the
      // statement above leaves it alone too).
      await tx
        .update(table)
        .set({ ...marker, updatedAt: sql`${table.updatedAt}` })
        .where(sql`${table.id} in (select (jsonb_array_elements_text(${JSON.stringify(touch)}::jsonb))::int)`);
    }
  });
  // Counted once the batch is committed.
  tally.counts.unchanged += unchanged;
  tally.counts.imported += total;
}

/**
 * After a listing that completed, end-dates the live rows it did not see. Never call it after
 * a failed or cancelled listing: unseen would then mean "not reached yet", not "gone".
 */
export async function endDateUnseen<T extends Table>(
  db: Db,
  spec: SyncSpec<T>,
  providerId: number,
  tally: ImportTally,
  at: Date,
): Promise<void> {
  const table = spec.table as Table;
  const gone = await db
    .update(table)
    .set({ endDate: at })
    .where(
      and(
        eq(table.providerId, providerId),
        isNull(table.endDate),
        sql`${table.lastSeenRun} is distinct from ${tally.runId}`,
      ),
    )
    .returning({ name: table.name, key: spec.keyColumn });
  for (const row of gone) tally.note("endDated", row.name || String(row.key));
}
