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

  it("every app/**/actions.ts only wraps lib definitions with defineAction/defineFormAction", () => {
    const files = filesUnder(appDir, (f) => path.basename(f) === "actions.ts");
    expect(files.length).toBeGreaterThan(5);
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
