// The imported images and sizes of one provider, a page at a time, searched on the server.
import { and, asc, count, eq, ilike, isNull, or, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { machines, sizes, volumes } from "@/lib/db/schema";

export type BrowseOptions = {
  /** Part of the name, or the start of the cloud's id; any capitalisation. */
  q?: string;
  page?: number;
  pageSize?: number;
  /** Also list rows the cloud no longer has (end-dated). Default: live rows only. */
  includeEnded?: boolean;
};

export type BrowsePage<T> = { rows: T[]; total: number; page: number; pageSize: number };

const escapeLike = (s: string) => s.replace(/[%_\\]/g, "\\$&");

function paging(opts: BrowseOptions) {
  const pageSize = Math.min(Math.max(Math.trunc(opts.pageSize ?? 25), 1), 200);
  const page = Math.max(Math.trunc(opts.page ?? 1), 1);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

const imageColumns = {
  id: machines.id,
  imageId: machines.imageId,
  name: machines.name,
  visibility: machines.visibility,
  sizeBytes: machines.sizeBytes,
  diskFormat: machines.diskFormat,
  endDate: machines.endDate,
  updatedAt: machines.updatedAt,
  imageUpdatedAt: machines.imageUpdatedAt,
  members: machines.members,
  membersRefreshedAt: machines.membersRefreshedAt,
};
export type ImportedImage = { [K in keyof typeof imageColumns]: (typeof machines.$inferSelect)[K] };

/**
 * One page of a provider's imported images, by name. The page is cut in SQL and ordered on
 * machines_provider_name_idx (provider_id, name), so 10,000 images page as fast as 10.
 */
export async function listImportedImages(db: Db, providerId: number, opts: BrowseOptions = {}): Promise<BrowsePage<ImportedImage>> {
  const { page, pageSize, offset } = paging(opts);
  const q = opts.q?.trim();
  const where: Array<SQL | undefined> = [eq(machines.providerId, providerId)];
  if (!opts.includeEnded) where.push(isNull(machines.endDate));
  if (q) where.push(or(ilike(machines.name, `%${escapeLike(q)}%`), ilike(machines.imageId, `${escapeLike(q)}%`)));
  const cond = and(...where);
  const [rows, [{ total }]] = await Promise.all([
    db.select(imageColumns).from(machines).where(cond).orderBy(asc(machines.name), asc(machines.id)).limit(pageSize).offset(offset),
    db.select({ total: count() }).from(machines).where(cond),
  ]);
  return { rows, total: Number(total), page, pageSize };
}

const sizeColumns = {
  id: sizes.id,
  flavorId: sizes.flavorId,
  name: sizes.name,
  vcpus: sizes.vcpus,
  ramMb: sizes.ramMb,
  diskGb: sizes.diskGb,
  isPublic: sizes.isPublic,
  endDate: sizes.endDate,
  updatedAt: sizes.updatedAt,
};
export type ImportedSize = { [K in keyof typeof sizeColumns]: (typeof sizes.$inferSelect)[K] };

/** One page of a provider's imported sizes (flavors), by name. */
export async function listImportedSizes(db: Db, providerId: number, opts: BrowseOptions = {}): Promise<BrowsePage<ImportedSize>> {
  const { page, pageSize, offset } = paging(opts);
  const q = opts.q?.trim();
  const where: Array<SQL | undefined> = [eq(sizes.providerId, providerId)];
  if (!opts.includeEnded) where.push(isNull(sizes.endDate));
  if (q) where.push(or(ilike(sizes.name, `%${escapeLike(q)}%`), ilike(sizes.flavorId, `${escapeLike(q)}%`)));
  const cond = and(...where);
  const [rows, [{ total }]] = await Promise.all([
    db.select(sizeColumns).from(sizes).where(cond).orderBy(asc(sizes.name), asc(sizes.id)).limit(pageSize).offset(offset),
    db.select({ total: count() }).from(sizes).where(cond),
  ]);
  return { rows, total: Number(total), page, pageSize };
}

const volumeColumns = {
  id: volumes.id,
  volumeId: volumes.volumeId,
  name: volumes.name,
  projectId: volumes.projectId,
  sizeGb: volumes.sizeGb,
  volumeType: volumes.volumeType,
  status: volumes.status,
  bootable: volumes.bootable,
  attachedTo: volumes.attachedTo,
  endDate: volumes.endDate,
  updatedAt: volumes.updatedAt,
};
export type ImportedVolume = { [K in keyof typeof volumeColumns]: (typeof volumes.$inferSelect)[K] };

/** One page of a provider's imported volumes, by name (volumes_provider_name_idx). */
export async function listImportedVolumes(db: Db, providerId: number, opts: BrowseOptions = {}): Promise<BrowsePage<ImportedVolume>> {
  const { page, pageSize, offset } = paging(opts);
  const q = opts.q?.trim();
  const where: Array<SQL | undefined> = [eq(volumes.providerId, providerId)];
  if (!opts.includeEnded) where.push(isNull(volumes.endDate));
  if (q) {
    const prefix = `${escapeLike(q)}%`;
    where.push(or(ilike(volumes.name, `%${escapeLike(q)}%`), ilike(volumes.volumeId, prefix), ilike(volumes.projectId, prefix)));
  }
  const cond = and(...where);
  const [rows, [{ total }]] = await Promise.all([
    db.select(volumeColumns).from(volumes).where(cond).orderBy(asc(volumes.name), asc(volumes.id)).limit(pageSize).offset(offset),
    db.select({ total: count() }).from(volumes).where(cond),
  ]);
  return { rows, total: Number(total), page, pageSize };
}
