import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// lib/jobs is the generic queue: it must not know any feature. Feature handlers are wired up in
// lib/worker (the composition root). This scans every import of every file under lib/jobs.

const LIB = path.resolve(import.meta.dirname, "..");
const JOBS = path.join(LIB, "jobs");
/** What the queue may import: lib/db, itself, top-level helpers (lib/redact.ts) and, in tests, test/. */
const ALLOWED_FOLDERS = new Set(["db", "jobs", "../test"]);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/** Every module specifier a file imports, re-exports or loads with import(). */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1]);
  return out;
}

/** The lib/ folder a specifier resolves to ("../app" outside lib/), or null for a package or a top-level lib file. */
export function libFolderOf(file: string, specifier: string): string | null {
  let resolved: string;
  if (specifier.startsWith("@/")) resolved = path.join(LIB, "..", specifier.slice(2));
  else if (specifier.startsWith(".")) resolved = path.resolve(path.dirname(file), specifier);
  else return null;
  const rel = path.relative(LIB, resolved);
  if (rel.startsWith("..")) return `../${rel.split(path.sep)[1]}`;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : null;
}

describe("lib/jobs imports no feature folder", () => {
  it("finds imports of every form", () => {
    expect(importsOf(`import a from "@/lib/x";\nimport type { B } from '../y';\nexport { c } from "./z";\nconst d = await import("@/lib/w");\nimport "server-only";`)).toEqual([
      "@/lib/x",
      "../y",
      "./z",
      "@/lib/w",
      "server-only",
    ]);
    expect(libFolderOf(path.join(JOBS, "queue.ts"), "@/lib/accounts/jobs")).toBe("accounts");
    expect(libFolderOf(path.join(JOBS, "queue.ts"), "../launch/jobs")).toBe("launch");
    expect(libFolderOf(path.join(JOBS, "queue.ts"), "./runner")).toBe("jobs");
    expect(libFolderOf(path.join(JOBS, "queue.ts"), "@/lib/redact")).toBeNull();
    expect(libFolderOf(path.join(JOBS, "queue.ts"), "@/app/page")).toBe("../app");
    expect(libFolderOf(path.join(JOBS, "queue.ts"), "drizzle-orm")).toBeNull();
  });

  it("every file under lib/jobs imports only lib/db, lib/jobs and top-level helpers", () => {
    const files = filesUnder(JOBS);
    expect(files.length).toBeGreaterThan(2);
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        const folder = libFolderOf(file, spec);
        if (folder !== null && !ALLOWED_FOLDERS.has(folder)) bad.push(`${path.relative(LIB, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
