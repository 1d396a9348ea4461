"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/accounting/actions";

export const saveRules = defineFormAction(defs.saveRulesDef);
export const saveSite = defineFormAction(defs.saveSiteDef);
