"use server";

import { defineAction } from "@/lib/actions";
import * as defs from "@/lib/ldap/actions";

export const previewLdapGroup = defineAction(defs.previewLdapGroup);
export const provisionLdapGroup = defineAction(defs.provisionLdapGroup);
export const setLdapGroupSync = defineAction(defs.setLdapGroupSync);
export const previewLdapLeavers = defineAction(defs.previewLdapLeavers);
export const removeLdapLeavers = defineAction(defs.removeLdapLeavers);
