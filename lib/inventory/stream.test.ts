import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chunksToStream, linesByteLength, linesToStream, tarChunks, tarHeader } from "./stream";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}

function* numbered(n: number) {
  for (let i = 0; i < n; i++) yield `line ${i} ✓`;
}

describe("linesToStream", () => {
  it("writes every line with a newline, in batches pulled on demand", async () => {
    let produced = 0;
    function* counting() {
      for (let i = 0; i < 10_000; i++) {
        produced++;
        yield `l${i}`;
      }
    }
    const stream = linesToStream(counting(), 1000);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).split("\n")[0]).toBe("l0");
    // Only what the queue asked for was generated, not the whole file.
    expect(produced).toBeLessThanOrEqual(3000);
    await reader.cancel();
    const text = (await readAll(linesToStream(numbered(5), 2))).toString("utf8");
    expect(text).toBe("line 0 ✓\nline 1 ✓\nline 2 ✓\nline 3 ✓\nline 4 ✓\n");
    expect(linesByteLength(numbered(5))).toBe(Buffer.byteLength(text));
  });

  it("an empty file is empty", async () => {
    expect((await readAll(linesToStream([]))).length).toBe(0);
  });
});

describe("tar", () => {
  it("makes a header with a valid checksum", () => {
    const h = tarHeader("ansible/hosts", 1234, new Date("2026-01-02T03:04:05Z"));
    expect(h.length).toBe(512);
    const text = Buffer.from(h);
    expect(text.subarray(0, 13).toString()).toBe("ansible/hosts");
    expect(text.subarray(124, 135).toString()).toBe((1234).toString(8).padStart(11, "0"));
    const stored = parseInt(text.subarray(148, 154).toString(), 8);
    const copy = Buffer.from(h);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((a, b) => a + b, 0));
    expect(text.subarray(257, 262).toString()).toBe("ustar");
  });

  it("splits long paths into prefix and name, refuses impossible ones", () => {
    const long = `${"d".repeat(120)}/hosts`;
    const h = Buffer.from(tarHeader(long, 0));
    expect(h.subarray(0, 5).toString()).toBe("hosts");
    expect(h.subarray(345, 465).toString()).toBe("d".repeat(120));
    expect(() => tarHeader("x".repeat(300), 0)).toThrow(/too long/);
  });

  it("builds an archive that tar extracts", async () => {
    const files = [
      { name: "ansible/hosts", lines: () => numbered(3000) },
      { name: "ansible/group_vars/atmosphere-x", lines: () => ["---", 'A: "1"'] },
      { name: "dns/empty.zone", lines: () => [] },
    ];
    const bytes = await readAll(chunksToStream(tarChunks(files, 500)));
    expect(bytes.length % 512).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cp-tar-"));
    try {
      fs.writeFileSync(path.join(dir, "a.tar"), bytes);
      execFileSync("tar", ["-xf", "a.tar"], { cwd: dir });
      const hosts = fs.readFileSync(path.join(dir, "ansible/hosts"), "utf8").split("\n");
      expect(hosts).toHaveLength(3001);
      expect(hosts[2999]).toBe("line 2999 ✓");
      expect(fs.readFileSync(path.join(dir, "ansible/group_vars/atmosphere-x"), "utf8")).toBe('---\nA: "1"\n');
      expect(fs.readFileSync(path.join(dir, "dns/empty.zone"), "utf8")).toBe("");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
