// Draws build/icon.png (512x512): concentric rings around a red core, the "blast radius".
// Dependency-free so it runs anywhere: `node build/make-icon.mjs`. electron-builder derives the
// platform icon formats from this PNG.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 512;
const pixels = Buffer.alloc(size * (size * 4 + 1));
const rings = [
  { radius: 70, color: [220, 38, 38] },
  { radius: 130, color: [249, 115, 22] },
  { radius: 190, color: [251, 191, 36] },
  { radius: 250, color: [30, 41, 59] },
];
for (let y = 0; y < size; y++) {
  pixels[y * (size * 4 + 1)] = 0; // PNG filter type: none
  for (let x = 0; x < size; x++) {
    const distance = Math.hypot(x - size / 2 + 0.5, y - size / 2 + 0.5);
    const ring = rings.find((candidate) => distance <= candidate.radius);
    const offset = y * (size * 4 + 1) + 1 + x * 4;
    if (ring) {
      const edge = Math.min(1, Math.max(0, ring.radius - distance)); // anti-alias the outer edge
      pixels.set([...ring.color, Math.round(255 * (ring === rings[3] ? edge : 1))], offset);
    }
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
