import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

// What a "use client" module imports ends up in the browser. A Node module on that path makes
// Next bundle its browser polyfills (crypto-browserify alone is ~450 KB, and its helpers call
// `Function(...)`, which our CSP reports as an eval violation). This walks the value imports
// of every client module through our own files and fails on the first Node or server-only one.

const root = path.resolve(import.meta.dirname, "..");
const NODE = new Set(builtinModules);
const SERVER_ONLY = new Set(["server-only", "postgres", "drizzle-orm/postgres-js", "@electric-sql/pglite", "@node-rs/argon2", "nodemailer", "ldapts"]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      out.push(...sourceFiles(full));
    } else if (/\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(full);
  }
  return out;
}

/** Specifiers imported for their values (type-only imports and re-exports are left out). */
export function valueImports(source: string): string[] {
  const found: string[] = [];
  const stmt = /\b(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+["']([^"']+)["']|\bimport\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of source.matchAll(stmt)) {
    if (m[5] || m[6]) {
      found.push((m[5] ?? m[6])!);
      continue;
    }
    if (m[2]) continue; // import type / export type
    const clause = m[3].trim();
    const named = /^\{([^}]*)\}$/.exec(clause);
    if (named && named[1].split(",").map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith("type "))) continue;
    found.push(m[4]);
  }
  return found;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

const directive = (src: string, d: string) => new RegExp(`^\\s*(?:\\/\\/[^\\n]*\\n|\\/\\*[\\s\\S]*?\\*\\/\\s*)*["']${d}["']`).test(src);

const nodeOrServerOnly = (spec: string) => spec.startsWith("node:") || NODE.has(spec.split("/")[0]) || SERVER_ONLY.has(spec);

/** The first chain from `entry` to a Node or server-only import, or null. */
export function serverOnlyChain(entry: string, read: (f: string) => string = (f) => fs.readFileSync(f, "utf8")): string[] | null {
  return chainTo(entry, nodeOrServerOnly, read);
}

/** The first chain of value imports from `entry` to a package `forbidden` says yes to, or null. */
export function chainTo(entry: string, forbidden: (spec: string) => boolean, read: (f: string) => string = (f) => fs.readFileSync(f, "utf8")): string[] | null {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | null => {
    if (seen.has(file)) return null;
    seen.add(file);
    const src = read(file);
    if (chain.length > 0 && directive(src, "use server")) return null; // server actions: references only
    for (const spec of valueImports(src)) {
      if (forbidden(spec)) return [...chain, path.relative(root, file), spec];
      const local = resolveLocal(file, spec);
      if (local) {
        const hit = walk(local, [...chain, path.relative(root, file)]);
        if (hit) return hit;
      }
    }
    return null;
  };
  return walk(entry, []);
}

describe("client bundles", () => {
  it("tells value imports from type-only ones", () => {
    const src = [
      `import type { A } from "./a";`,
      `import { type B, type C } from "./b";`,
      `import { type D, e } from "./d";`,
      `import f from "./f";`,
      `export { g } from "./g";`,
      `export type { H } from "./h";`,
      `import "./side";`,
      `const x = await import("./lazy");`,
    ].join("\n");
    expect(valueImports(src)).toEqual(["./d", "./f", "./g", "./side", "./lazy"]);
  });

  it("no client module reaches a Node or server-only module", () => {
    const clients = [...sourceFiles(path.join(root, "components")), ...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "lib"))].filter((f) =>
      directive(fs.readFileSync(f, "utf8"), "use client"),
    );
    expect(clients.length).toBeGreaterThan(10);
    const chains = clients.map((f) => serverOnlyChain(f)).filter((c): c is string[] => c !== null);
    expect(chains.map((c) => c.join(" → "))).toEqual([]);
  });

  it("no client module reaches zod (30 KB of every page that did; the checks the browser runs are plain functions)", () => {
    const clients = [...sourceFiles(path.join(root, "components")), ...sourceFiles(path.join(root, "app")), ...sourceFiles(path.join(root, "lib"))].filter((f) =>
      directive(fs.readFileSync(f, "utf8"), "use client"),
    );
    const chains = clients.map((f) => chainTo(f, (spec) => spec === "zod" || spec.startsWith("zod/"))).filter((c): c is string[] => c !== null);
    expect(chains.map((c) => c.join(" → "))).toEqual([]);
  });
});
