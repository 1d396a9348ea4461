// Totals the suites' JSON reports into one closing line: "N passed, N failed".
// A suite whose report is missing (it crashed, or never ran) counts as one failure.
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? ".data/reports";
const read = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
  } catch {
    return null;
  }
};

const suites = [];
const typecheck = read("typecheck.json");
suites.push(["typecheck", typecheck ?? { passed: 0, failed: 1 }]);

const vitest = read("vitest.json");
if (vitest) {
  const byProject = {};
  for (const file of vitest.testResults ?? []) {
    const project = /\.db\.test\.ts$/.test(file.name) ? "db" : /\.int\.test\.ts$/.test(file.name) ? "integration" : "unit";
    const p = (byProject[project] ??= { passed: 0, failed: 0 });
    const results = file.assertionResults ?? [];
    p.passed += results.filter((r) => r.status === "passed").length;
    p.failed += results.filter((r) => r.status === "failed").length;
    // A file that failed to load has no assertions but did fail.
    if (file.status === "failed" && results.every((r) => r.status !== "failed")) p.failed += 1;
  }
  for (const name of ["unit", "db", "integration"]) suites.push([name, byProject[name] ?? { passed: 0, failed: 0 }]);
} else {
  suites.push(["vitest", { passed: 0, failed: 1 }]);
}

const pw = read("playwright.json");
if (pw?.stats) {
  suites.push(["e2e", { passed: pw.stats.expected + pw.stats.flaky, failed: pw.stats.unexpected }]);
} else {
  suites.push(["e2e", { passed: 0, failed: 1 }]);
}

let passed = 0;
let failed = 0;
console.log("\nsuite        passed  failed");
for (const [name, r] of suites) {
  console.log(`${name.padEnd(12)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}`);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
