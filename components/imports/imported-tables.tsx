import Link from "next/link";
import { Search } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { BrowsePage, ImportedImage, ImportedSize, ImportedVolume } from "@/lib/imports/browse";
import { formatAge } from "@/lib/imports/format";
import { formatDateTime } from "@/lib/utils";
import { formatBytes, plural } from "@/lib/domain/format";
import { formatCount } from "@/lib/domain/format";

type Params = Record<string, string | undefined>;

/** The imports page's query parameters; each table owns its search and page keys. */
export type BrowseParams = {
  basePath: string;
  /** Every parameter of the current URL, so one table's search keeps the others' state. */
  params: Params;
};

function hrefWith(basePath: string, params: Params, changes: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...changes })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${basePath}?${s}` : basePath;
}

function Status({ endDate }: { endDate: Date | null }) {
  return endDate ? (
    <Badge tone="neutral" title={`Gone from the cloud since ${formatDateTime(endDate)}`}>
      End-dated {endDate.toISOString().slice(0, 10)}
    </Badge>
  ) : (
    <Badge tone="success">Live</Badge>
  );
}

/**
 * A plain GET form: the search works without JavaScript, and the URL can be shared. Hidden
 * fields keep the rest of the page's state; a new search starts at page 1.
 */
function BrowseSearch({
  id,
  label,
  hint,
  qKey,
  pageKey,
  browse,
}: {
  id: string;
  label: string;
  hint: string;
  qKey: string;
  pageKey: string;
  browse: BrowseParams;
}) {
  const keep = Object.entries(browse.params).filter(([k, v]) => v && k !== qKey && k !== pageKey && k !== "ended");
  return (
    <form method="get" action={browse.basePath} role="search" aria-label={`Filter ${label.replace(/^Search /, "")}`} className="flex flex-wrap items-end gap-3 px-5 py-3">
      {keep.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="w-full max-w-sm">
        <Field id={id} label={label} hint={hint}>
          <Input id={id} name={qKey} type="search" defaultValue={browse.params[qKey] ?? ""} autoComplete="off" />
        </Field>
      </div>
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
        <input type="checkbox" name="ended" value="1" defaultChecked={browse.params.ended === "1"} className="h-4 w-4" />
        Show end-dated
      </label>
      <Button type="submit" variant="secondary" className="mb-0.5">
        <Search aria-hidden className="h-4 w-4" /> Search
      </Button>
    </form>
  );
}

function Summary({ total, noun, q, ended }: { total: number; noun: string; q?: string; ended: boolean }) {
  const what = plural(total, noun);
  return (
    <p role="status" className="px-5 pb-2 text-sm text-slate-600">
      {total === 0 ? (q ? `No ${noun}s match “${q}”.` : `No ${ended ? "" : "live "}${noun}s imported yet.`) : `${what}${q ? ` match “${q}”` : ""}${ended ? " (end-dated included)" : ""}.`}
    </p>
  );
}

export function ImportedImagesTable({ data, browse }: { data: BrowsePage<ImportedImage>; browse: BrowseParams }) {
  const q = browse.params.q;
  const ended = browse.params.ended === "1";
  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle id="imported-images-title">Imported images</CardTitle>
      </CardHeader>
      <BrowseSearch id="images-q" label="Search images" hint="Part of the name, or the start of the image id." qKey="q" pageKey="ipage" browse={browse} />
      <Summary total={data.total} noun="image" q={q} ended={ended} />
      {data.rows.length > 0 ? (
        <Table aria-label="Imported images">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Image id</TH>
              <TH>Visibility</TH>
              <TH>Members</TH>
              <TH className="text-right">Size</TH>
              <TH>Status</TH>
              <TH>Updated</TH>
            </tr>
          </THead>
          <TBody>
            {data.rows.map((m) => (
              <TR key={m.id}>
                <TD className="font-medium">{m.name || <span className="text-slate-400">(no name)</span>}</TD>
                <TD className="font-mono text-xs text-slate-600">{m.imageId}</TD>
                <TD>{m.visibility ?? "—"}</TD>
                <TD className="text-sm">
                  <Members image={m} />
                </TD>
                <TD className="whitespace-nowrap text-right tabular-nums" title={m.sizeBytes === null ? undefined : `${formatCount(m.sizeBytes)} bytes`}>
                  {formatBytes(m.sizeBytes)}
                </TD>
                <TD>
                  <Status endDate={m.endDate} />
                </TD>
                <TD className="whitespace-nowrap text-slate-600" title={`Record updated ${formatDateTime(m.updatedAt)}`}>
                  {formatDateTime(m.imageUpdatedAt ?? m.updatedAt)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      <BrowseFooter data={data} browse={browse} pageKey="ipage" label="Imported images pages" />
    </Card>
  );
}

/** A shared image's member projects and how old that list is; other visibilities have none. */
function Members({ image }: { image: ImportedImage }) {
  if (image.visibility !== "shared") return <span className="text-slate-400">—</span>;
  if (!image.membersRefreshedAt) return <Badge tone="warning">not read yet</Badge>;
  const n = image.members.length;
  return (
    <span title={image.members.join(", ") || "No member projects"}>
      {n} {n === 1 ? "project" : "projects"}
      <span className="block text-xs text-slate-500">read {formatAge(image.membersRefreshedAt)}</span>
    </span>
  );
}

export function ImportedVolumesTable({ data, browse }: { data: BrowsePage<ImportedVolume>; browse: BrowseParams }) {
  const q = browse.params.vq;
  const ended = browse.params.ended === "1";
  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle>Imported volumes</CardTitle>
      </CardHeader>
      <BrowseSearch id="volumes-q" label="Search volumes" hint="Part of the name, or the start of the volume or project id." qKey="vq" pageKey="vpage" browse={browse} />
      <Summary total={data.total} noun="volume" q={q} ended={ended} />
      {data.rows.length > 0 ? (
        <Table aria-label="Imported volumes">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Volume id</TH>
              <TH>Project</TH>
              <TH className="text-right">Size</TH>
              <TH>Type</TH>
              <TH>State</TH>
              <TH>Attached to</TH>
              <TH>Status</TH>
            </tr>
          </THead>
          <TBody>
            {data.rows.map((v) => (
              <TR key={v.id}>
                <TD className="font-medium break-all">{v.name || <span className="text-slate-400">(no name)</span>}</TD>
                <TD className="font-mono text-xs text-slate-600">{v.volumeId}</TD>
                <TD className="font-mono text-xs text-slate-600">{v.projectId ?? "—"}</TD>
                <TD className="whitespace-nowrap text-right tabular-nums">{v.sizeGb} GiB</TD>
                <TD>{v.volumeType ?? "—"}</TD>
                <TD>
                  {v.status}
                  {v.bootable ? <span className="ml-1 text-xs text-slate-500">(bootable)</span> : null}
                </TD>
                <TD className="font-mono text-xs text-slate-600">{v.attachedTo.length ? v.attachedTo.join(", ") : "—"}</TD>
                <TD>
                  <Status endDate={v.endDate} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      <BrowseFooter data={data} browse={browse} pageKey="vpage" label="Imported volumes pages" />
    </Card>
  );
}

export function ImportedSizesTable({ data, browse }: { data: BrowsePage<ImportedSize>; browse: BrowseParams }) {
  const q = browse.params.sq;
  const ended = browse.params.ended === "1";
  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle>Imported sizes</CardTitle>
      </CardHeader>
      <BrowseSearch id="sizes-q" label="Search sizes" hint="Part of the name, or the start of the flavor id." qKey="sq" pageKey="spage" browse={browse} />
      <Summary total={data.total} noun="size" q={q} ended={ended} />
      {data.rows.length > 0 ? (
        <Table aria-label="Imported sizes">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Flavor id</TH>
              <TH className="text-right">vCPUs</TH>
              <TH className="text-right">RAM</TH>
              <TH className="text-right">Disk</TH>
              <TH>Public</TH>
              <TH>Status</TH>
              <TH>Updated</TH>
            </tr>
          </THead>
          <TBody>
            {data.rows.map((s) => (
              <TR key={s.id}>
                <TD className="font-medium">{s.name}</TD>
                <TD className="font-mono text-xs text-slate-600">{s.flavorId}</TD>
                <TD className="text-right tabular-nums">{s.vcpus}</TD>
                <TD className="whitespace-nowrap text-right tabular-nums">{formatBytes(s.ramMb * 1024 * 1024)}</TD>
                <TD className="whitespace-nowrap text-right tabular-nums">{s.diskGb} GiB</TD>
                <TD>{s.isPublic ? "Public" : <Badge tone="warning">Private</Badge>}</TD>
                <TD>
                  <Status endDate={s.endDate} />
                </TD>
                <TD className="whitespace-nowrap text-slate-600">{formatDateTime(s.updatedAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      <BrowseFooter data={data} browse={browse} pageKey="spage" label="Imported sizes pages" />
    </Card>
  );
}

/** A page past the end says so, then the pager; shared by both tables. */
function BrowseFooter<T>({ data, browse, pageKey, label }: { data: BrowsePage<T>; browse: BrowseParams; pageKey: string; label: string }) {
  return (
    <>
      {data.rows.length === 0 && data.total > 0 ? (
        <p className="px-5 pb-3 text-sm">
          There is no page {data.page}.{" "}
          <Link className="text-brand-600 underline" href={hrefWith(browse.basePath, browse.params, { [pageKey]: undefined })}>
            Go to the first page
          </Link>
        </p>
      ) : null}
      <Pagination
        page={data.page}
        pageSize={data.pageSize}
        total={data.total}
        basePath={browse.basePath}
        params={{ ...browse.params, [pageKey]: undefined }}
        pageParam={pageKey}
        label={label}
      />
    </>
  );
}
