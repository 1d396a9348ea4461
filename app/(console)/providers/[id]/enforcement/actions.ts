"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/enforcement/actions";

export const saveEnforcementPolicy = defineFormAction(defs.saveEnforcementPolicy);
export const dryRunEnforcement = defineFormAction(defs.dryRunEnforcementDef);
export const runEnforcementNow = defineFormAction(defs.runEnforcementNowDef);
