import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Layering rules the compiler cannot see: lib/ and components/ never reach into app/, and the
// routes' actions.ts files only wrap definitions from lib/<feature>/actions.ts.

const root = path.resolve(import.meta.dirname, "..");
const appDir = path.join(root, "app");

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      out.push(...filesUnder(full, keep));
    } else if (keep(full)) out.push(full);
  }
  return out;
}

const isSource = (f: string) => /\.(ts|tsx|js|jsx|mjs)$/.test(f);

/** Every module specifier a file imports or re-exports (static and dynamic). */
export function specifiersOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/g,
    /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

/** Whether `specifier`, imported from `file`, names something under app/. */
export function reachesIntoApp(file: string, specifier: string): boolean {
  if (specifier === "@/app" || specifier.startsWith("@/app/")) return true;
  if (!specifier.startsWith(".")) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return target === appDir || target.startsWith(appDir + path.sep);
}

describe("import rules", () => {
  it("recognises every way of reaching into app/", () => {
    const file = path.join(root, "components/x/y.tsx");
    const src = [
      `import { a } from "@/app/(console)/imports/actions";`,
      `import type { B } from '../../app/(auth)/login/actions';`,
      `export { c } from "@/app/x";`,
      `const d = await import("../../app/y");`,
      `import "@/lib/utils";`,
      `import { e } from "./sibling";`,
    ].join("\n");
    const bad = specifiersOf(src).filter((s) => reachesIntoApp(file, s));
    expect(bad).toEqual(["@/app/(console)/imports/actions", "../../app/(auth)/login/actions", "@/app/x", "../../app/y"]);
  });

  it("components/ and lib/ import nothing from app/", () => {
    const offenders: string[] = [];
    for (const dir of ["components", "lib"]) {
      for (const file of filesUnder(path.join(root, dir), isSource)) {
        if (file === import.meta.filename) continue; // its own examples
        for (const spec of specifiersOf(fs.readFileSync(file, "utf8"))) {
          if (reachesIntoApp(file, spec)) offenders.push(`${path.relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("no file under lib/ or components/ is a \"use server\" module (the routes' actions.ts are)", () => {
    const offenders = ["components", "lib"]
      .flatMap((dir) => filesUnder(path.join(root, dir), isSource))
      .filter((file) => /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(fs.readFileSync(file, "utf8")))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });

  it("every \"use server\" file under app/ (actions.ts or not) only wraps lib definitions with defineAction/defineFormAction", () => {
    // Found by content, not by name: a "use server" module called ldap-actions.ts, or a page
    // with an inline "use server" function, is held to the same rule as an actions.ts.
    const files = filesUnder(appDir, (f) => isSource(f) && (path.basename(f) === "actions.ts" || /["']use server["']/.test(fs.readFileSync(f, "utf8"))));
    expect(files.length).toBeGreaterThan(5);
    expect(files.map((f) => path.relative(root, f))).toContain("app/(console)/providers/[id]/accounts/ldap-actions.ts");
    const problems: string[] = [];
    for (const file of files) {
      const rel = path.relative(root, file);
      const lines = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("//"));
      if (lines[0] !== `"use server";`) problems.push(`${rel}: does not start with "use server"`);
      for (const line of lines.slice(1)) {
        const ok =
          /^import \{ [\w, ]+ \} from "@\/lib\/actions";$/.test(line) ||
          /^import \* as \w+ from "@\/lib\/[\w/-]+\/[\w-]*actions";$/.test(line) ||
          /^export const \w+ = define(Form|Redirect)?Action\(\w+\.\w+\);$/.test(line);
        if (!ok) problems.push(`${rel}: ${line}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

const sourcesUnder = (...dirs: string[]) => dirs.flatMap((dir) => filesUnder(path.join(root, dir), isSource)).filter((f) => !/\.test\.tsx?$/.test(f));
const rel = (f: string) => path.relative(root, f);

describe("one home per concern", () => {
  it("secrets are decrypted in named places only: provider secrets in lib/providers/connection.ts", () => {
    // Each entry is the one home of one kind of sealed secret.
    const allowed = new Set([
      "lib/secrets.ts", // defines decryptSecret
      "lib/providers/connection.ts", // provider credentials and account secrets, account app credentials
      "lib/db/queries/provider-drafts.ts", // the wizard draft's sealed secrets
      "lib/ldap/store.ts", // LDAP bind passwords
    ]);
    const decrypting = sourcesUnder("lib", "app", "components", "scripts").filter((f) => /\bdecryptSecret\b/.test(fs.readFileSync(f, "utf8")));
    expect(decrypting.map(rel).filter((f) => !allowed.has(f))).toEqual([]);
    // And connection.ts is still the one that reads the provider_secrets table's sealed columns to decrypt them.
    expect(decrypting.map(rel)).toContain("lib/providers/connection.ts");
  });

  it("flags inline HTTP status checks on errors", () => {
    expect(inlineStatusChecks(`if (error instanceof OpenStackHttpError && error.status === 409) {`)).toEqual(["error.status === 409"]);
    expect(inlineStatusChecks(`if (err.status == 404) return null; if (e?.status !== 403) throw e;`)).toEqual(["err.status == 404", "e?.status !== 403"]);
    expect(inlineStatusChecks(`if (isStatus(err, 404)) return null; res.status(200); const ok = row.status === "active";`)).toEqual([]);
  });

  it("status checks on errors outside lib/openstack use isStatus(err, …), never `.status === 4xx`", () => {
    // The browser's poll of a job answers with its own PollError (fetch statuses), not an OpenStack error.
    const notOpenStack = new Set(["components/jobs/polling.ts"]);
    const offenders = sourcesUnder("lib", "app", "components", "scripts")
      .filter((f) => !rel(f).startsWith("lib/openstack/") && !notOpenStack.has(rel(f)))
      .flatMap((f) => inlineStatusChecks(fs.readFileSync(f, "utf8")).map((m) => `${rel(f)}: ${m}`));
    expect(offenders).toEqual([]);
  });
});

/** `x.status === 4xx/5xx`-style comparisons (also ==, !==, !=, and optional chaining). */
function inlineStatusChecks(source: string): string[] {
  return [...source.matchAll(/\b[\w$]+\??\.status\s*[!=]==?\s*[45]\d\d\b/g)].map((m) => m[0]);
}
