"use client";

import { createContext, useCallback, useContext, useMemo, useState } from "react";

type Ctx = { jobIds: string[]; addJob: (id: string) => void };
const JobsContext = createContext<Ctx | null>(null);

/** Holds the account jobs a page follows: those found on load plus the ones started here. */
export function AccountJobsProvider({ initial, children }: { initial: string[]; children: React.ReactNode }) {
  const [jobIds, setJobIds] = useState(initial);
  const addJob = useCallback((id: string) => setJobIds((ids) => (ids.includes(id) ? ids : [id, ...ids])), []);
  const value = useMemo(() => ({ jobIds, addJob }), [jobIds, addJob]);
  return <JobsContext.Provider value={value}>{children}</JobsContext.Provider>;
}

/** The page's jobs, or a local list when used outside a provider (e.g. embedded on a user page). */
export function useAccountJobs(): Ctx {
  const ctx = useContext(JobsContext);
  const [local, setLocal] = useState<string[]>([]);
  const addLocal = useCallback((id: string) => setLocal((ids) => (ids.includes(id) ? ids : [id, ...ids])), []);
  return ctx ?? { jobIds: local, addJob: addLocal };
}
