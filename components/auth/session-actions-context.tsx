"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { ActionOf, FormActionOf } from "@/lib/actions/safe-action";
import type * as defs from "@/lib/auth/session-actions";

/** The session server actions, handed down once by the console layout (components never import app/). */
export type SessionActions = {
  reauthenticate: FormActionOf<typeof defs.reauthenticate>;
  confirmFreshAuth: ActionOf<typeof defs.confirmFreshAuth>;
  signOutEverywhere: ActionOf<typeof defs.signOutEverywhere>;
};

const Context = createContext<SessionActions | null>(null);

export function SessionActionsProvider({ actions, children }: { actions: SessionActions; children: ReactNode }) {
  return <Context.Provider value={actions}>{children}</Context.Provider>;
}

export function useSessionActions(): SessionActions {
  const actions = useContext(Context);
  if (!actions) throw new Error("useSessionActions needs a SessionActionsProvider (the console layout).");
  return actions;
}
