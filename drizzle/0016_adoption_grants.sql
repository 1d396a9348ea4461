-- Issue 12: removal of an adopted account revokes only the role assignments Cloudport made
-- (granted_roles, recorded as they are made), and an adopted project's quota is changed only
-- when the superuser opted in (adopt_quota).
ALTER TABLE "identities" ADD COLUMN "granted_roles" jsonb;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "adopt_quota" boolean DEFAULT false NOT NULL;
