import { seg } from "../../../core/lookup";

export const securityGroupRulesUrl = () => "/security-group-rules";
export const securityGroupRuleUrl = (id: string) => `/security-group-rules/${seg(id)}`;
