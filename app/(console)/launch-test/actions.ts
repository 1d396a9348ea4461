"use server";

import { defineAction, defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/launch/actions";

export const startLaunchTest = defineFormAction(defs.startLaunchTest);
export const repeatLaunchTest = defineAction(defs.repeatLaunchTest);
export const cleanupLaunchTest = defineAction(defs.cleanupLaunchTest);
export const cancelLaunchTest = defineAction(defs.cancelLaunchTest);
