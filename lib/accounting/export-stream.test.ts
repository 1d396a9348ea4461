// The export's byte stream: a generator that throws half-way must never look like a whole file.
import { describe, expect, it, vi } from "vitest";
import { APEL_HEADER } from "@/lib/domain/accounting";
import { asyncTextStream, EXPORT_FAILED_LINE } from "./service";

/** Reads until the stream ends or errors; the text read and the error, if any. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return { text, error: undefined };
      text += decoder.decode(r.value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe("export stream", () => {
  it("ends cleanly with every chunk when the generator finishes", async () => {
    const onError = vi.fn();
    async function* gen() {
      yield `${APEL_HEADER}\n`;
      yield "VMUUID: a\n%%\n";
    }
    expect(await drain(asyncTextStream(gen(), onError))).toEqual({ text: `${APEL_HEADER}\nVMUUID: a\n%%\n`, error: undefined });
    expect(onError).not.toHaveBeenCalled();
  });

  it("errors the stream (the download fails) and leaves a file that APEL cannot load when a batch fails", async () => {
    const onError = vi.fn();
    async function* gen() {
      yield `${APEL_HEADER}\n`;
      yield "VMUUID: a\nSiteName: S\n%%\n";
      throw new Error("connection to postgres://cloudport:hunter2@db lost");
    }
    const { text, error } = await drain(asyncTextStream(gen(), onError));
    expect(error).toBeInstanceOf(Error);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(text.trimEnd().endsWith(EXPORT_FAILED_LINE)).toBe(true);
    // APEL splits the message on %%: the last piece is no Key: value record, so the message is refused.
    const pieces = text.slice(APEL_HEADER.length + 1).split("%%");
    expect(pieces.at(-1)!.trim()).toBe(EXPORT_FAILED_LINE);
    expect(pieces.at(-1)!.trim()).not.toMatch(/^[A-Za-z]+: /);
    // The reason stays in the server log, not in the file.
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("postgres");
  });

  it("fails the same way when the very first batch throws", async () => {
    async function* gen(): AsyncGenerator<string> {
      throw new Error("boom");
    }
    const { text, error } = await drain(asyncTextStream(gen()));
    expect(error).toBeInstanceOf(Error);
    expect(text).toBe(`\n${EXPORT_FAILED_LINE}\n`);
  });

  it("stops the generator when the client goes away", async () => {
    let finished = false;
    async function* gen() {
      try {
        for (let i = 0; ; i++) yield `line ${i}\n`;
      } finally {
        finished = true;
      }
    }
    const reader = asyncTextStream(gen()).getReader();
    await reader.read();
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
