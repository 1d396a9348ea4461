// Streaming of generated files: a ReadableStream pulls a batch of lines at a time, so a
// 65k-line hosts file never exists as one string; the tar archive is written the same way.

const encoder = new TextEncoder();

/** A byte stream of `line\n` for each line, pulled in batches as the client reads. */
export function linesToStream(lines: Iterable<string>, batchLines = 2000): ReadableStream<Uint8Array> {
  const it = lines[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = "";
      for (let i = 0; i < batchLines; i++) {
        const r = it.next();
        if (r.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += `${r.value}\n`;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      it.return?.();
    },
  });
}

/** A byte stream of the chunks a generator yields, pulled one at a time. */
export function chunksToStream(chunks: Iterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const r = it.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel() {
      it.return?.();
    },
  });
}

/** UTF-8 size of the lines written as `line\n`, counted without keeping them. */
export function linesByteLength(lines: Iterable<string>): number {
  let n = 0;
  for (const line of lines) n += Buffer.byteLength(line, "utf8") + 1;
  return n;
}

export type TarFile = {
  /** Path inside the archive, e.g. ansible/hosts (at most 100 bytes, or 255 split at a slash). */
  name: string;
  /** Called twice: once to measure, once to write; must yield the same lines both times. */
  lines: () => Iterable<string>;
  mtime?: Date;
};

const BLOCK = 512;

function writeString(buf: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new Error(`"${value}" does not fit a ${length}-byte tar field.`);
  buf.set(bytes, offset);
}

function writeOctal(buf: Uint8Array, offset: number, length: number, value: number): void {
  // length-1 octal digits, zero-padded, then NUL.
  writeString(buf, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

/** A POSIX ustar header block for a regular file (mode 0644). */
export function tarHeader(name: string, size: number, mtime: Date = new Date(0)): Uint8Array {
  const h = new Uint8Array(BLOCK);
  let prefix = "";
  let base = name;
  if (encoder.encode(name).length > 100) {
    const cut = name.lastIndexOf("/", 155);
    if (cut <= 0 || encoder.encode(name.slice(cut + 1)).length > 100) throw new Error(`The path ${name} is too long for a tar archive.`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  if (size > 0o77777777777) throw new Error("File too large for a ustar header.");
  writeString(h, 0, 100, base);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, Math.floor(mtime.getTime() / 1000));
  h.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  h[156] = "0".charCodeAt(0);
  writeString(h, 257, 6, "ustar\0");
  writeString(h, 263, 2, "00");
  writeString(h, 265, 32, "root");
  writeString(h, 297, 32, "root");
  if (prefix) writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/**
 * A tar archive of generated text files, as chunks. Each file's lines are generated twice
 * (tar needs the size before the data), which costs CPU instead of memory.
 */
export function* tarChunks(files: TarFile[], batchLines = 2000): Generator<Uint8Array> {
  for (const f of files) {
    const size = linesByteLength(f.lines());
    yield tarHeader(f.name, size, f.mtime);
    let written = 0;
    let chunk = "";
    let n = 0;
    for (const line of f.lines()) {
      chunk += `${line}\n`;
      if (++n === batchLines) {
        const bytes = encoder.encode(chunk);
        written += bytes.length;
        yield bytes;
        chunk = "";
        n = 0;
      }
    }
    if (chunk) {
      const bytes = encoder.encode(chunk);
      written += bytes.length;
      yield bytes;
    }
    if (written !== size) throw new Error(`${f.name} changed while it was being written.`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) yield new Uint8Array(pad);
  }
  yield new Uint8Array(BLOCK * 2);
}
