import { seg } from "../../../core/lookup";

export const securityGroupsUrl = () => "/security-groups";
export const securityGroupUrl = (id: string) => `/security-groups/${seg(id)}`;
