"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/quotas/actions";

export const saveTier = defineFormAction(defs.saveTierAction);
export const setAccountQuota = defineFormAction(defs.setAccountQuota);
export const bulkAccountQuota = defineFormAction(defs.bulkAccountQuota);
