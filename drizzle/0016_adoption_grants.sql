-- Issue 12: removal of an adopted account revokes only the role assignments Cloudport made
-- (granted_roles, recorded as they are made), and an adopted project's quota is changed only
-- when the superuser opted in (adopt_quota). revoked_sessions: a plain sign-out ends that
-- session for good (a copied cookie dies with it).
ALTER TABLE "identities" ADD COLUMN "granted_roles" jsonb;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "adopt_quota" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE TABLE "revoked_sessions" (
	"sid" text PRIMARY KEY NOT NULL,
	"user_id" integer,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "revoked_sessions" ADD CONSTRAINT "revoked_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revoked_sessions_expires_at_idx" ON "revoked_sessions" USING btree ("expires_at");
