CREATE TABLE "account_app_credentials" (
	"identity_id" integer PRIMARY KEY NOT NULL,
	"credential_id" text NOT NULL,
	"secret" text NOT NULL,
	"openstack_user_id" text NOT NULL,
	"project_id" text NOT NULL,
	"set_by" integer,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_app_credentials" ADD CONSTRAINT "account_app_credentials_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_app_credentials" ADD CONSTRAINT "account_app_credentials_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
