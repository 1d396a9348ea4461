"use server";

import { defineAction, defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/allocation/actions";

export const saveStrategy = defineFormAction(defs.saveStrategyDef);
export const setOverride = defineFormAction(defs.setOverrideDef);
export const previewStrategy = defineAction(defs.previewStrategyDef);
