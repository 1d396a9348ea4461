"use server";

import { defineAction, defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/providers/draft-actions";

export const startProviderDraft = defineFormAction(defs.startProviderDraft);
export const discardProviderDraft = defineFormAction(defs.discardProviderDraft);
export const saveConnectStep = defineFormAction(defs.saveConnectStep);
export const verifyDraft = defineAction(defs.verifyDraft);
export const saveNetworkStep = defineFormAction(defs.saveNetworkStep);
export const saveAccountsStep = defineFormAction(defs.saveAccountsStep);
export const saveDeployStep = defineFormAction(defs.saveDeployStep);
export const createProvider = defineFormAction(defs.createProvider);
