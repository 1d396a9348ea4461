"use server";

import { defineAction, defineFormAction, defineRedirectAction } from "@/lib/actions";
import * as defs from "@/lib/auth/actions";
import * as session from "@/lib/auth/session-actions";

export const logout = defineRedirectAction(defs.logout);
export const reauthenticate = defineFormAction(session.reauthenticate);
export const confirmFreshAuth = defineAction(session.confirmFreshAuth);
export const signOutEverywhere = defineAction(session.signOutEverywhere);
