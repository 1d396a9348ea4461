import { NextResponse, type NextRequest } from "next/server";
import { newNonce, securityHeaders } from "@/lib/security-headers";

// Every response gets the security headers (CSP with a per-request nonce, HSTS over https, …).
// Optimistic check only: no session cookie → login page. The real checks (valid session,
// active, staff) happen in the Data Access Layer on every page and server action.
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
/** Reached without a session cookie. */
const PUBLIC = /^\/(?:login|api\/auth|api\/health)(?:\/|$)/;

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const headers = securityHeaders(nonce, { url: request.url, forwardedProto: request.headers.get("x-forwarded-proto") });
  const withHeaders = (response: NextResponse) => {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  };

  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession && !PUBLIC.test(request.nextUrl.pathname)) {
    const url = request.nextUrl.clone();
    const next = request.nextUrl.pathname + request.nextUrl.search;
    url.pathname = "/login";
    url.search = next && next !== "/" ? `?next=${encodeURIComponent(next)}` : "";
    return withHeaders(NextResponse.redirect(url));
  }
  // Next reads the policy on the request to put the nonce on the scripts it renders.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }));
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|apple-touch-icon.png|icon.svg).*)"],
};
