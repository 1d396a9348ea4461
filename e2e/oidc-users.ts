/** The test OpenID provider's users and client (scripts/oidc-test-provider.ts, e2e/sso.spec.ts). */
export type OidcTestUser = { sub: string; username: string; password: string; name: string; email: string; groups: string[] };

export const OIDC_CLIENT = { id: "cloudport-e2e", secret: "cptest-oidc-client-secret-0123456789" };

export const OIDC_STAFF_GROUP = "cloudport-staff";
export const OIDC_SUPERUSER_GROUP = "cloudport-admins";

export const OIDC_USERS: OidcTestUser[] = [
  { sub: "cptest-sub-plain-7f3a", username: "cptest-sso-plain", password: "Plain-Secret-1", name: "Pat Plain", email: "plain@sso.test", groups: ["atmo-user"] },
  { sub: "cptest-sub-staff-91c2", username: "cptest-sso-staff", password: "Staff-Secret-1", name: "Sam Staff", email: "staff@sso.test", groups: ["atmo-user", OIDC_STAFF_GROUP] },
  { sub: "cptest-sub-admin-44d0", username: "cptest-sso-admin", password: "Admin-Secret-1", name: "Ada Admin", email: "admin@sso.test", groups: [OIDC_SUPERUSER_GROUP] },
];
