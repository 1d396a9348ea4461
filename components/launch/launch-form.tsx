"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Rocket, ShieldCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";
import type { LaunchIdentity, LaunchImage, LaunchSize } from "@/lib/launch/queries";
import { formatBytes } from "@/lib/domain/format";

type Network = { id: string; name: string; shared: boolean; external: boolean; owned: boolean };
type StartResult = ActionResult<{ id: number; jobId: string }>;

type Page<T> = { items: T[]; total: number };

/** Waits until typing pauses, so a search asks the server once, not per key. */
function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * One picker's options, searched on the server (/launch-test/options): at most 50 matches and
 * how many there are. The first page came with the page (`initial`, for an empty search).
 */
function usePickerOptions<T>(providerId: number, list: "identities" | "images" | "sizes", q: string, initial: Page<T> | null, extra: Record<string, string> = {}) {
  const query = useDebounced(q.trim());
  const params = new URLSearchParams({ providerId: String(providerId), list, q: query, ...extra });
  const useInitial = initial !== null && query === "" && Object.keys(extra).length === 0;
  return useQuery<Page<T>>({
    queryKey: ["launch-options", params.toString()],
    staleTime: 30_000,
    retry: false,
    placeholderData: keepPreviousData,
    ...(useInitial ? { initialData: initial } : {}),
    queryFn: async () => {
      const res = await fetch(`/launch-test/options?${params}`, { cache: "no-store" });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body;
    },
  });
}

/** " · 50 of 10,000 matching accounts: refine the search." for a capped list. */
function pickerCount(data: Page<unknown> | undefined, what: string, fetching: boolean, error: Error | null): string {
  if (error) return ` Could not search: ${error.message}`;
  if (!data) return fetching ? " Searching…" : "";
  if (data.total <= data.items.length) return "";
  return ` Showing ${data.items.length} of ${data.total.toLocaleString("en")} ${what}: search to narrow it.`;
}

const ram = (mb: number) => (mb >= 1024 ? `${(mb / 1024).toFixed(mb % 1024 ? 1 : 0)} GB RAM` : `${mb} MB RAM`);

function useNetworks(identityId: number | null) {
  return useQuery<{ networks: Network[]; defaultId: string | null }>({
    queryKey: ["identity-networks", identityId],
    enabled: identityId !== null,
    staleTime: 60_000,
    retry: false,
    queryFn: async () => {
      const res = await fetch(`/launch-test/networks?identityId=${identityId}`, { cache: "no-store" });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      return body;
    },
  });
}

/**
 * Provider → account → image and size (from the imports, filterable) → the account's network,
 * and for a launch test an optional key pair, user data and clean-up choice.
 */
export function LaunchForm({
  providerId,
  identities,
  images,
  defaultImage,
  sizes,
  mode,
  action,
}: {
  providerId: number;
  /** The first accounts, images and sizes (the pickers search the rest on the server) and the totals. */
  identities: Page<LaunchIdentity>;
  images: Page<LaunchImage>;
  /** A cirros image to preselect, if there is one. */
  defaultImage: LaunchImage | null;
  sizes: Page<LaunchSize>;
  mode: "launch" | "readiness";
  action: (prev: StartResult | null, form: FormData) => Promise<StartResult>;
}) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const p = mode === "readiness" ? "rd" : "lt";

  const [identityFilter, setIdentityFilter] = useState("");
  const [identity, setIdentity] = useState<LaunchIdentity | null>(identities.total === 1 ? (identities.items[0] ?? null) : null);
  const identityId = identity?.id ?? null;
  const idOpts = usePickerOptions(providerId, "identities", identityFilter, identities);
  // The chosen one stays an option while the search shows others.
  const identityOptions = useMemo(() => {
    const items = idOpts.data?.items ?? [];
    return identity && !items.some((i) => i.id === identity.id) ? [identity, ...items] : items;
  }, [idOpts.data, identity]);
  const [imageFilter, setImageFilter] = useState("");
  const [showHidden, setShowHidden] = useState(false);
  const [image, setImage] = useState<LaunchImage | null>(defaultImage);
  const imageId = image?.imageId ?? "";
  const projectFilter: Record<string, string> = !showHidden && identity?.projectId ? { projectId: identity.projectId } : {};
  const imgOpts = usePickerOptions(providerId, "images", imageFilter, images, projectFilter);
  const shownImages = useMemo(() => {
    const items = imgOpts.data?.items ?? [];
    return image && !items.some((i) => i.imageId === image.imageId) ? [image, ...items] : items;
  }, [imgOpts.data, image]);
  const [sizeFilter, setSizeFilter] = useState("");
  const [size, setSize] = useState<LaunchSize | null>(() => sizes.items[0] ?? null);
  const flavorId = size?.flavorId ?? "";
  // With an image chosen, the server lists only the sizes it fits on.
  const fitFilter: Record<string, string> = {
    ...(image?.minRamMb ? { minRamMb: String(image.minRamMb) } : {}),
    ...(image?.minDiskGb ? { minDiskGb: String(image.minDiskGb) } : {}),
  };
  const sizeOpts = usePickerOptions(providerId, "sizes", sizeFilter, sizes, fitFilter);
  const [networkId, setNetworkId] = useState("");
  const nets = useNetworks(identityId);

  useEffect(() => {
    if (state?.ok) router.push(`/launch-test/runs/${state.data.id}`);
  }, [state, router]);

  // Pick the account's own network once its list arrives (or its recorded one if listing failed).
  useEffect(() => {
    if (!identity) return setNetworkId("");
    if (nets.data) setNetworkId(nets.data.defaultId ?? nets.data.networks[0]?.id ?? "");
    else if (nets.isError) setNetworkId(identity.networkId ?? "");
  }, [identity, nets.data, nets.isError]);

  const shownSizes = useMemo(() => {
    const items = sizeOpts.data?.items ?? [];
    return size && !items.some((s) => s.flavorId === size.flavorId) ? [size, ...items] : items;
  }, [sizeOpts.data, size]);
  const tooSmall = (s: LaunchSize) =>
    Boolean(image && ((s.diskGb > 0 && s.diskGb < image.minDiskGb) || s.ramMb < image.minRamMb));

  const networkOptions: Network[] = nets.data?.networks ?? (identity?.networkId ? [{ id: identity.networkId, name: `${identity.projectName}-net (recorded at provisioning)`, shared: false, external: false, owned: true }] : []);
  const networkName = networkOptions.find((n) => n.id === networkId)?.name;

  if (identities.total === 0) {
    return (
      <Alert tone="warning">
        No account on this provider is active yet: provision one (Accounts) before running a {mode === "readiness" ? "readiness run" : "launch test"}.
      </Alert>
    );
  }

  return (
    <form action={formAction} className="grid grid-cols-1 gap-4" noValidate aria-label={mode === "readiness" ? "Readiness run" : "Launch test"}>
      <input type="hidden" name="kind" value={mode} />
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="networkName" value={networkName ?? ""} />
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}

      <div className="grid grid-cols-1 gap-2">
        {identities.total > identities.items.length || identityFilter ? (
          <Field id={`${p}-identity-filter`} label="Search accounts">
            <Input
              id={`${p}-identity-filter`}
              type="search"
              value={identityFilter}
              onChange={(e) => setIdentityFilter(e.target.value)}
              placeholder="username or project"
              autoComplete="off"
            />
          </Field>
        ) : null}
        <Field
          id={`${p}-identity`}
          label="Account (identity)"
          hint={`An active account on this provider; the test signs in as it, not as admin.${pickerCount(idOpts.data, "matching accounts", idOpts.isFetching, idOpts.error)}`}
          error={fe?.identityId}
        >
          <Select
            id={`${p}-identity`}
            name="identityId"
            value={identityId ?? ""}
            onChange={(e) => setIdentity(identityOptions.find((i) => String(i.id) === e.target.value) ?? null)}
          >
            <option value="">Choose an account…</option>
            {identityOptions.map((i) => (
              <option key={i.id} value={i.id}>
                {i.username} (project {i.projectName})
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <div className="grid grid-cols-1 gap-2">
          <Field id={`${p}-image-filter`} label="Filter images">
            <Input id={`${p}-image-filter`} type="search" value={imageFilter} onChange={(e) => setImageFilter(e.target.value)} placeholder="name or id" autoComplete="off" />
          </Field>
          <Field
            id={`${p}-image`}
            label="Image"
            hint={`${imgOpts.data ? `${Math.min(imgOpts.data.items.length, imgOpts.data.total)} of ${imgOpts.data.total}` : "…"} ${imageFilter.trim() ? "matching" : "imported"} ${imgOpts.data?.total === 1 ? "image" : "images"}${identity?.projectId && !showHidden ? " visible to the project" : ""}${imgOpts.data && imgOpts.data.total > imgOpts.data.items.length ? ": refine the filter to see others" : ""}.${imgOpts.error ? ` Could not search: ${imgOpts.error.message}` : ""}`}
            error={fe?.imageId}
          >
            <Select id={`${p}-image`} name="imageId" value={imageId} onChange={(e) => setImage(shownImages.find((i) => i.imageId === e.target.value) ?? null)}>
              <option value="">Choose an image…</option>
              {shownImages.map((i) => (
                <option key={i.imageId} value={i.imageId}>
                  {i.name}
                  {i.sizeBytes ? ` · ${formatBytes(i.sizeBytes)}` : ""}
                  {i.visibility && i.visibility !== "public" ? ` · ${i.visibility}` : ""}
                </option>
              ))}
            </Select>
          </Field>
          <label className="flex items-center gap-2 text-xs text-slate-600">
            <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> Include images not shared with the project
          </label>
        </div>
        <div className="grid grid-cols-1 gap-2">
          <Field id={`${p}-size-filter`} label="Filter sizes">
            <Input id={`${p}-size-filter`} value={sizeFilter} onChange={(e) => setSizeFilter(e.target.value)} placeholder="name or id" autoComplete="off" />
          </Field>
          <Field id={`${p}-size`} label="Size (flavor)" hint={`${sizeOpts.data ? `${Math.min(sizeOpts.data.items.length, sizeOpts.data.total)} of ${sizeOpts.data.total}` : "…"} ${sizeFilter.trim() ? "matching" : "imported"} ${sizeOpts.data?.total === 1 ? "size" : "sizes"}${Object.keys(fitFilter).length ? " the image fits on" : ""}${sizeOpts.data && sizeOpts.data.total > sizeOpts.data.items.length ? ": refine the filter to see others" : ""}; ones too small for the image are disabled.${sizeOpts.error ? ` Could not search: ${sizeOpts.error.message}` : ""}`} error={fe?.flavorId}>
            <Select id={`${p}-size`} name="flavorId" value={flavorId} onChange={(e) => setSize(shownSizes.find((s) => s.flavorId === e.target.value) ?? null)}>
              <option value="">Choose a size…</option>
              {shownSizes.map((s) => (
                <option key={s.flavorId} value={s.flavorId} disabled={tooSmall(s)}>
                  {s.name} · {s.vcpus} vCPU · {ram(s.ramMb)} · {s.diskGb} GB disk{s.isPublic ? "" : " · private"}
                  {tooSmall(s) ? " (too small for the image)" : ""}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      </div>

      <Field
        id={`${p}-network`}
        label="Network"
        hint={
          !identity
            ? "Choose an account first."
            : nets.isLoading
              ? "Listing the networks the account sees…"
              : nets.isError
                ? undefined
                : "Listed as the account: its own network first."
        }
        error={fe?.networkId ?? (nets.isError ? `Could not list the account's networks: ${nets.error.message}` : undefined)}
      >
        <Select id={`${p}-network`} name="networkId" value={networkId} onChange={(e) => setNetworkId(e.target.value)} disabled={!identity}>
          <option value="">{nets.isLoading ? "Loading…" : "Choose a network…"}</option>
          {networkOptions.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
              {n.external ? " (external)" : n.shared && !n.owned ? " (shared)" : ""}
            </option>
          ))}
        </Select>
      </Field>

      {mode === "launch" ? (
        <>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <Field id={`${p}-key`} label="Public key (optional)" hint="Creates a key pair as the account for this test and deletes it at clean-up." error={fe?.publicKey}>
              <Textarea id={`${p}-key`} name="publicKey" rows={3} placeholder="ssh-ed25519 AAAAC3… you@host" spellCheck={false} />
            </Field>
            <Field id={`${p}-userdata`} label="User data (optional)" hint="Passed to the server as is (cloud-init)." error={fe?.userData}>
              <Textarea id={`${p}-userdata`} name="userData" rows={3} placeholder={"#cloud-config\n"} spellCheck={false} />
            </Field>
          </div>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <fieldset className="grid gap-1.5">
              <legend className="text-sm font-medium text-slate-700">Clean-up</legend>
              <label className="flex items-start gap-2 text-sm">
                <input type="radio" name="cleanup" value="auto" defaultChecked className="mt-1" />
                <span>Automatically, when the checks are done</span>
              </label>
              <label className="flex items-start gap-2 text-sm">
                <input type="radio" name="cleanup" value="manual" className="mt-1" />
                <span>
                  Keep the server until I clean up
                  <span className="block text-xs text-slate-500">A failed or stopped test is always cleaned up.</span>
                </span>
              </label>
            </fieldset>
            <Field id={`${p}-ssh`} label="Wait for SSH (seconds)" hint="How long to keep trying TCP 22 after ACTIVE; a miss is a warning, not a failure." error={fe?.sshWaitSeconds}>
              <Input id={`${p}-ssh`} name="sshWaitSeconds" type="number" min={0} max={300} defaultValue={20} className="w-28" />
            </Field>
          </div>
        </>
      ) : (
        <Field id={`${p}-ssh`} label="Wait for SSH (seconds)" hint="A miss is a warning, not a failure." error={fe?.sshWaitSeconds}>
          <Input id={`${p}-ssh`} name="sshWaitSeconds" type="number" min={0} max={300} defaultValue={10} className="w-28" />
        </Field>
      )}

      <div className="flex justify-end">
        <Button type="submit" disabled={pending || !identity}>
          {mode === "readiness" ? <ShieldCheck aria-hidden className="h-4 w-4" /> : <Rocket aria-hidden className="h-4 w-4" />}
          {pending ? "Starting…" : mode === "readiness" ? "Run readiness checks" : "Launch test"}
        </Button>
      </div>
    </form>
  );
}
