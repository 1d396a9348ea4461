import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { env } from "@/lib/env";
import { getUserById } from "@/lib/db/queries/users";
import { randomUUID } from "node:crypto";
import { authenticate } from "./authenticate";
import { REPLACES_COOKIE, retireReplacedSession, revokeSession, SESSION_MAX_AGE_S } from "./revoked-sessions";
import { PEER_HEADER, peerFrom, resolveClientIp, trustedProxies } from "./client-ip";
import { redactSecrets } from "@/lib/redact";
import { authSecret } from "@/lib/secrets";
import type { User } from "@/lib/db/schema";
import { SSO_ONLY } from "./actions";
import { applySsoRoles, findOrCreateSsoUser, resolveSsoUser } from "./sso";
import { parseGroupList, type SsoRoleConfig } from "@/lib/domain/sso-groups";

/** What a session carries besides Auth.js's own fields (see the jwt callback). */
export type SessionClaims = { uid?: number; sv?: number; at?: number; sid?: string };

/** Thrown when an SSO-bound account with group-managed roles tries its password. */
class SsoOnly extends CredentialsSignin {
  code = SSO_ONLY;
}

/** Thrown for a throttled sign-in; `code` carries the seconds to wait ("throttled_240"). */
class Throttled extends CredentialsSignin {
  constructor(retryAt: Date) {
    super();
    this.code = `throttled_${Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000))}`;
  }
}

const credentialsSchema = z.object({ username: z.string().min(1).max(150), password: z.string().min(1).max(500) });

let warnedNoPeer = false;

/**
 * The client address: the socket peer, or what CLOUDPORT_TRUSTED_PROXIES lets the proxies in
 * front of Cloudport say through X-Forwarded-For (lib/auth/client-ip.ts). "unknown" when the
 * peer was not captured (the server was started without instrumentation.ts).
 */
export async function clientIp(): Promise<string> {
  const h = await headers();
  const peer = peerFrom(h.get(PEER_HEADER));
  if (!peer && !warnedNoPeer) {
    warnedNoPeer = true;
    console.warn("[auth] the client's socket address is not available; sign-in throttling counts these clients together as \"unknown\".");
  }
  return resolveClientIp(h.get("x-forwarded-for"), peer, trustedProxies());
}

/** The group lists that give console roles at SSO sign-in (unset: roles stay manual). */
export function ssoRoleConfig(): SsoRoleConfig {
  const e = env();
  return { staffGroups: parseGroupList(e.CLOUDPORT_OIDC_STAFF_GROUPS), superuserGroups: parseGroupList(e.CLOUDPORT_OIDC_SUPERUSER_GROUPS) };
}

function oidcProvider(): NextAuthConfig["providers"] {
  const { AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_ID: clientId, AUTH_OIDC_SECRET: clientSecret, AUTH_OIDC_NAME } = env();
  if (!issuer || !clientId || !clientSecret) return [];
  return [
    {
      id: "oidc",
      name: AUTH_OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer,
      clientId,
      clientSecret,
      // With role groups configured, ask for the groups scope: the claim is read from the
      // signed ID token only.
      ...(ssoRoleConfig().staffGroups || ssoRoleConfig().superuserGroups
        ? { authorization: { params: { scope: "openid profile email groups" } } }
        : {}),
    },
  ];
}

export const ssoEnabled = () => oidcProvider().length > 0;

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    // Auth.js logs failed sign-ins as errors with a stack; a wrong password is not an error.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      // Redacted like every other log line: OIDC and adapter errors may echo a client secret or token.
      // Auth.js puts the underlying failure (a rejected token, an unreachable issuer) in cause.err.
      const cause = (error as { cause?: { err?: unknown } }).cause?.err;
      const why = cause instanceof Error ? ` (${cause.name}: ${cause.message})` : "";
      console.error(`[auth] ${error.name}: ${redactSecrets(error.message + why, [env().AUTH_OIDC_SECRET])}`);
    },
    warn(code) {
      if (code !== "debug-enabled") console.warn(`[auth] ${code}`);
    },
    debug() {},
  },
  providers: [
    Credentials({
      credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const db = await getDb();
        const result = await authenticate(db, { ...parsed.data, ip: await clientIp(), ssoRoles: ssoRoleConfig() });
        if (!result.ok) {
          if (result.reason === "throttled") throw new Throttled(result.retryAt);
          if (result.reason === "sso_only") throw new SsoOnly();
          return null;
        }
        return { id: String(result.user.id), name: result.user.username, email: result.user.email };
      },
    }),
    ...oidcProvider(),
  ],
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      const db = await getDb();
      const ip = await clientIp();
      const resolved = await resolveSsoUser(db, profile ?? {}, ip);
      // A refusal an administrator can act on gets its own code on the login page.
      if (!resolved.ok) return resolved.reason === "privileged_email" ? "/login?error=SsoPrivilegedEmail" : false;
      const found = resolved.user;
      if (!found.isActive) return false;
      await applySsoRoles(db, found, profile ?? {}, ssoRoleConfig(), ip);
      return true;
    },
    // A sign-in (password or SSO) writes who (uid), under which session version (sv) and when
    // the person authenticated (at, ms). Later requests only carry these forward: the DAL checks
    // sv against the user's current version and requireFreshAuth checks at.
    async jwt({ token, user, account, profile }) {
      let dbUser: User | undefined;
      if (account?.provider === "oidc") {
        dbUser = await findOrCreateSsoUser(await getDb(), profile ?? {}, null);
      } else if (user?.id) {
        dbUser = await getUserById(await getDb(), Number(user.id));
      }
      if (dbUser) {
        token.uid = dbUser.id;
        token.sv = dbUser.sessionVersion;
        token.at = Date.now();
        // This browser's session, the same in every token re-issued from it (a plain sign-out revokes it).
        token.sid = randomUUID();
        // Back from the identity provider for a fresh sign-in: the session it replaces ends.
        const jar = await cookies();
        const replaced = jar.get(REPLACES_COOKIE)?.value;
        if (replaced) {
          await retireReplacedSession(await getDb(), replaced, dbUser.id, authSecret());
          jar.delete(REPLACES_COOKIE);
        }
      }
      return token;
    },
    session({ session, token }) {
      const claims = session.user as unknown as SessionClaims;
      if (typeof token.uid === "number") claims.uid = token.uid;
      if (typeof token.sv === "number") claims.sv = token.sv;
      if (typeof token.at === "number") claims.at = token.at;
      if (typeof token.sid === "string") claims.sid = token.sid;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.uid !== "number") return;
      const db = await getDb();
      const user = await getUserById(db, token.uid);
      // This session (and any copy of its cookie) ends for good; the user's others live on.
      if (typeof token.sid === "string") await revokeSession(db, token.sid, user?.id ?? null);
      if (user) await createAuditEntry(db, { id: user.id, username: user.username }, { action: "auth.logout" });
    },
  },
});
