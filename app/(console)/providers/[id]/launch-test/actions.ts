"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/launch/actions";

export const startLaunchTest = defineFormAction(defs.startLaunchTest);
