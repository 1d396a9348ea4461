"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/providers/actions";

export const rerunPreflight = defineFormAction(defs.rerunPreflight);
export const setActive = defineFormAction(defs.setActive);
export const deleteProvider = defineFormAction(defs.deleteProvider);
export const updateProvider = defineFormAction(defs.updateProvider);
export const switchToAppCredential = defineFormAction(defs.switchToAppCredential);
export const rotateAppCredential = defineFormAction(defs.rotateAppCredential);
