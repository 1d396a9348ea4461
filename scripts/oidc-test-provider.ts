/**
 * A real OpenID Connect provider (the certified `oidc-provider` package) for the e2e suite:
 * HTTPS on loopback with a throw-away CA (scripts/test-ca.sh), a login form that checks the
 * test users' passwords, and a `groups` claim. Never for production.
 *
 *   npx tsx scripts/oidc-test-provider.ts
 *
 * Env: OIDC_TEST_PORT (default 4100), OIDC_TEST_CERT_DIR (default .data/oidc-test-ca),
 * OIDC_TEST_REDIRECT_URI (the app's /api/auth/callback/oidc), OIDC_TEST_CLIENT_ID / _SECRET.
 * The test users and client are in e2e/oidc-users.ts.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider from "oidc-provider";
import { OIDC_CLIENT, OIDC_USERS, type OidcTestUser } from "../e2e/oidc-users";

const port = Number(process.env.OIDC_TEST_PORT ?? 4100);
const certDir = path.resolve(process.env.OIDC_TEST_CERT_DIR ?? ".data/oidc-test-ca");
const redirectUri = process.env.OIDC_TEST_REDIRECT_URI ?? "http://127.0.0.1:3100/api/auth/callback/oidc";
const clientId = process.env.OIDC_TEST_CLIENT_ID ?? OIDC_CLIENT.id;
const clientSecret = process.env.OIDC_TEST_CLIENT_SECRET ?? OIDC_CLIENT.secret;
const issuer = `https://127.0.0.1:${port}`;

execFileSync("bash", [path.join(import.meta.dirname, "test-ca.sh"), certDir], { stdio: "inherit" });

const byLogin = new Map<string, OidcTestUser>(OIDC_USERS.map((u) => [u.username, u]));
const bySub = new Map<string, OidcTestUser>(OIDC_USERS.map((u) => [u.sub, u]));

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "cptest", use: "sig", alg: "RS256" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [jwk as never] },
  cookies: { keys: [crypto.randomBytes(32).toString("base64url")] },
  claims: {
    openid: ["sub"],
    profile: ["name", "preferred_username"],
    email: ["email", "email_verified"],
    groups: ["groups"],
  },
  // The claims go into the ID token too (Auth.js reads the profile from it).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const user = bySub.get(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          name: user.name,
          preferred_username: user.username,
          email: user.email,
          email_verified: true,
          groups: user.groups,
        };
      },
    };
  },
});
for (const event of ["server_error", "grant.error", "authorization.error", "userinfo.error"] as const) {
  (provider as unknown as NodeJS.EventEmitter).on(event, (ctx: { oidc?: { params?: { redirect_uri?: unknown } } }, error: Error & { error_description?: string; error_detail?: string }) =>
    console.error(`[oidc-test-provider] ${event}: ${error.message} ${error.error_description ?? ""} ${error.error_detail ?? ""} ${String(ctx?.oidc?.params?.redirect_uri ?? "")}`),
  );
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(res: ServerResponse, uid: string, error?: string) {
  res.writeHead(error ? 401 : 200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html><head><title>Test identity provider</title></head><body>
<h1>Test identity provider</h1>
${error ? `<p role="alert">${esc(error)}</p>` : ""}
<form method="post" action="/interaction/${esc(uid)}/login">
<label for="login">Login</label> <input id="login" name="login" autocomplete="username" required>
<label for="secret">Secret</label> <input id="secret" name="secret" type="password" required>
<button type="submit">Log in</button>
</form></body></html>`);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("interaction mismatch");
  const { prompt, params, session } = details;
  if (prompt.name === "login") {
    if (req.method === "POST" && action === "login") {
      const form = await formBody(req);
      const user = byLogin.get(form.get("login") ?? "");
      const given = Buffer.from(form.get("secret") ?? "");
      const ok = user && given.length === Buffer.byteLength(user.password) && crypto.timingSafeEqual(given, Buffer.from(user.password));
      if (!ok) return loginPage(res, uid, "Unknown login or wrong secret.");
      return provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
    }
    return loginPage(res, uid);
  }
  if (prompt.name === "consent") {
    // The test client is first-party: consent is granted for what it asked.
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    if (!grant) throw new Error("grant not found");
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  throw new Error(`unexpected prompt ${prompt.name}`);
}

const callback = provider.callback();
const server = https.createServer(
  { cert: fs.readFileSync(path.join(certDir, "server.pem")), key: fs.readFileSync(path.join(certDir, "server-key.pem")) },
  (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login))?$/.exec(new URL(req.url ?? "/", issuer).pathname);
    if (!match) return void callback(req, res);
    interaction(req, res, match[1], match[2]).catch((error: Error) => {
      console.error(`[oidc-test-provider] interaction: ${error.message}`);
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
      res.end("This sign-in attempt has expired or is invalid. Start again from the application.");
    });
  },
);
server.listen(port, "127.0.0.1", () => console.log(`[oidc-test-provider] ${issuer} ready (CA ${path.join(certDir, "ca.pem")})`));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
