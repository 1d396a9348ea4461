import { RUN_STATES } from "./types";
import { pageParam } from "@/lib/domain/paging";

// The runs list's query parameters, read leniently: anything unknown is ignored.

export type RunSearchParams = { provider?: string; state?: string; who?: string; kind?: string; page?: string };

export function readRunFilters(sp: RunSearchParams) {
  const provider = sp.provider && /^\d+$/.test(sp.provider) ? sp.provider : undefined;
  const state = sp.state && (RUN_STATES as readonly string[]).includes(sp.state) ? sp.state : undefined;
  const kind = sp.kind === "launch" || sp.kind === "readiness" ? sp.kind : undefined;
  const who = sp.who?.trim() || undefined;
  const page = pageParam(sp.page);
  return { values: { provider, state, kind, who }, page };
}
