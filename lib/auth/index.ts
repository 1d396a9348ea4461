import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { env } from "@/lib/env";
import { getUserById } from "@/lib/db/queries/users";
import { authenticate } from "./authenticate";
import { redactSecrets } from "@/lib/redact";
import { authSecret } from "@/lib/secrets";
import { findOrCreateSsoUser } from "./sso";

class LockedOut extends CredentialsSignin {
  code = "locked";
}

const credentialsSchema = z.object({ username: z.string().min(1).max(150), password: z.string().min(1).max(500) });

/** The client address as the reverse proxy (or Next itself) reports it. */
export async function clientIp(): Promise<string> {
  const h = await headers();
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || "local";
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
    },
  ];
}

export const ssoEnabled = () => oidcProvider().length > 0;

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    // Auth.js logs failed sign-ins as errors with a stack; a wrong password is not an error.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      // Redacted like every other log line: OIDC and adapter errors may echo a client secret or token.
      console.error(`[auth] ${error.name}: ${redactSecrets(error.message, [env().AUTH_OIDC_SECRET])}`);
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
        const result = await authenticate(db, { ...parsed.data, ip: await clientIp() });
        if (!result.ok) {
          if (result.reason === "locked") throw new LockedOut();
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
      const user = await findOrCreateSsoUser(db, profile ?? {}, await clientIp());
      return Boolean(user?.isActive);
    },
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "oidc") {
        const db = await getDb();
        const dbUser = await findOrCreateSsoUser(db, profile ?? {}, null);
        if (dbUser) token.uid = dbUser.id;
      } else if (user?.id) {
        token.uid = Number(user.id);
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "number") (session.user as { uid?: number }).uid = token.uid;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.uid !== "number") return;
      const db = await getDb();
      const user = await getUserById(db, token.uid);
      if (user) await createAuditEntry(db, { id: user.id, username: user.username }, { action: "auth.logout" });
    },
  },
});
