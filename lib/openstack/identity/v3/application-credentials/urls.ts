import { seg } from "../../../core/lookup";

export const applicationCredentialsUrl = (userId: string) => `/users/${seg(userId)}/application_credentials`;
export const applicationCredentialUrl = (userId: string, id: string) =>
  `/users/${seg(userId)}/application_credentials/${seg(id)}`;
