// Draws Cloudport's icon (a white pulse line on the brand blue, rounded square) and writes
// public/favicon.ico (16, 32 and 48 px PNGs in one ICO) and public/apple-touch-icon.png (180 px).
// No dependencies: pixels are drawn here, PNG is zlib + CRC, ICO is a small header.
//   node scripts/make-favicon.mjs
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const BRAND = [0x1f, 0x57, 0xd6];
const WHITE = [0xff, 0xff, 0xff];
// The pulse (lucide "activity"), in a 24-unit box.
const PULSE = [
  [2, 12],
  [6, 12],
  [9, 21],
  [15, 3],
  [18, 12],
  [22, 12],
];

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** RGBA pixels of the icon at `size` px, 4×4 supersampled. */
function draw(size) {
  const px = Buffer.alloc(size * size * 4);
  const radius = size * 0.22;
  const stroke = Math.max(1.2, size * 0.09);
  const inset = size * 0.14;
  const scale = (size - 2 * inset) / 24;
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const fx = x + (sx + 0.5) / S;
          const fy = y + (sy + 0.5) / S;
          // Rounded square.
          const cx = Math.min(Math.max(fx, radius), size - radius);
          const cy = Math.min(Math.max(fy, radius), size - radius);
          if (Math.hypot(fx - cx, fy - cy) > radius) continue;
          bg++;
          const ux = (fx - inset) / scale;
          const uy = (fy - inset) / scale;
          let d = Infinity;
          for (let i = 0; i + 1 < PULSE.length; i++) d = Math.min(d, distanceToSegment(ux, uy, PULSE[i], PULSE[i + 1]));
          if (d * scale <= stroke / 2) fg++;
        }
      }
      const o = (y * size + x) * 4;
      const f = bg ? fg / bg : 0;
      for (let c = 0; c < 3; c++) px[o + c] = Math.round(BRAND[c] * (1 - f) + WHITE[c] * f);
      px[o + 3] = Math.round((bg / (S * S)) * 255);
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size) {
  const rgba = draw(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
function ico(sizes) {
  const images = sizes.map(png);
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(images[i].length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += images[i].length;
  });
  return Buffer.concat([header, ...images]);
}

const out = path.join(import.meta.dirname, "..", "public");
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "favicon.ico"), ico([16, 32, 48]));
fs.writeFileSync(path.join(out, "apple-touch-icon.png"), png(180));
console.log(`wrote ${path.join(out, "favicon.ico")} and apple-touch-icon.png`);
