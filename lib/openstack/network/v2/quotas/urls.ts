import { seg } from "../../../core/lookup";

export const quotaUrl = (projectId: string) => `/quotas/${seg(projectId)}`;
export const quotaDetailsUrl = (projectId: string) => `/quotas/${seg(projectId)}/details`;
