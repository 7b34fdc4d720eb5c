/**
 * The two pieces of a one-file POSIX ustar archive, so a layer can be streamed:
 * a 512-byte header, then the content, then `tarTrailer` (padding to a
 * 512-byte boundary and the two zero blocks that end an archive). Every field
 * is fixed (mode 0644, owner 0, mtime 0) so the same content gives the same
 * bytes.
 */

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, "ascii");
}

/** Octal, zero-padded to `length - 1` digits and NUL-terminated. */
function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, "0") + "\0";
}

export function tarHeader(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(512);
  field(header, 0, 100, name);
  field(header, 100, 8, octal(0o644, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(size, 12));
  field(header, 136, 12, octal(0, 12));
  field(header, 148, 8, "        "); // checksum counts as spaces while summing
  field(header, 156, 1, "0");
  field(header, 257, 6, "ustar\0");
  field(header, 263, 2, "00");
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return header;
}

export function tarTrailer(size: number): Buffer {
  const padding = (512 - (size % 512)) % 512;
  return Buffer.alloc(padding + 1024);
}
