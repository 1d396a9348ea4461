import { z } from "zod";

export const userSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    domain_id: z.string(),
    enabled: z.boolean().default(true),
    email: z.string().nullish(),
    description: z.string().nullish(),
    default_project_id: z.string().nullish(),
    password_expires_at: z.string().nullish(),
  })
  .transform((u) => ({
    id: u.id,
    name: u.name,
    domainId: u.domain_id,
    enabled: u.enabled,
    email: u.email ?? null,
    description: u.description ?? "",
    defaultProjectId: u.default_project_id ?? null,
    passwordExpiresAt: u.password_expires_at ? new Date(u.password_expires_at) : null,
    raw: u,
  }));

export type User = z.output<typeof userSchema>;

export interface ListUsersOptions {
  name?: string;
  domainId?: string;
  enabled?: boolean;
  limit?: number;
}

export interface CreateUserOptions {
  name: string;
  /** Defaults to Keystone's default domain. */
  domainId?: string;
  password?: string;
  email?: string;
  description?: string;
  defaultProjectId?: string;
  enabled?: boolean;
}

export interface UpdateUserOptions {
  name?: string;
  password?: string;
  email?: string;
  description?: string;
  defaultProjectId?: string;
  enabled?: boolean;
}
