import { seg } from "../../../core/lookup";

export const quotaSetUrl = (projectId: string) => `/os-quota-sets/${seg(projectId)}`;
