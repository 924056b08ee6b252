// Reads a File (any Blob) forward in slices, counting its position: what the structure walkers need
// (the JavaScript twin of src/Parley.Core/Scanning/Structure/ByteReader.cs). A read past the end
// returns null or false (a truncated structure) and never throws, and bytes a walker skips without
// looking at them are never read, so a header claiming gigabytes costs nothing.

const SLICE = 64 * 1024;

export class ByteReader {
  /** @param {Blob} file */
  constructor(file) {
    this.file = file;
    this.buffer = new Uint8Array(0);
    this.start = 0;
    this.next = 0; // the file offset of the first byte not yet in the buffer
    this.position = 0;
  }

  get available() {
    return this.buffer.length - this.start;
  }

  /** Makes at least count bytes available; false when the file ends first. */
  async fill(count) {
    while (this.available < count) {
      if (this.next >= this.file.size) return false;
      const slice = new Uint8Array(await this.file.slice(this.next, this.next + Math.max(SLICE, count - this.available)).arrayBuffer());
      this.next += slice.length;
      const merged = new Uint8Array(this.available + slice.length);
      merged.set(this.buffer.subarray(this.start));
      merged.set(slice, this.available);
      this.buffer = merged;
      this.start = 0;
    }
    return true;
  }

  async atEnd() {
    return !(await this.fill(1));
  }

  /** Up to max next bytes without consuming them. */
  async peek(max) {
    await this.fill(max);
    return this.buffer.subarray(this.start, this.start + Math.min(max, this.available));
  }

  /** The next count bytes (a copy), or null when the file ends first (what was there is consumed, as in C#). */
  async read(count) {
    const enough = await this.fill(count);
    const n = Math.min(count, this.available);
    const bytes = this.buffer.slice(this.start, this.start + n);
    this.start += n;
    this.position += n;
    return enough ? bytes : null;
  }

  async readByte() {
    const bytes = await this.read(1);
    return bytes ? bytes[0] : null;
  }

  /** Up to count next bytes, as many as the file still has. */
  async readAtMost(count) {
    await this.fill(Math.min(count, this.file.size - this.position));
    const n = Math.min(count, this.available);
    const bytes = this.buffer.slice(this.start, this.start + n);
    this.start += n;
    this.position += n;
    return bytes;
  }

  /**
   * Skips count bytes, handing them to sink in pieces when given (a checksum); without a sink they
   * are not read at all. False when the file ends first.
   */
  async consume(count, sink) {
    if (!sink) {
      const inBuffer = Math.min(count, this.available);
      this.start += inBuffer;
      this.position += inBuffer;
      const rest = count - inBuffer;
      if (rest === 0) return true;
      const skip = Math.min(rest, this.file.size - this.next);
      this.next += skip;
      this.position += skip;
      return skip === rest;
    }
    while (count > 0) {
      if (!(await this.fill(1))) return false;
      const n = Math.min(count, this.available, SLICE);
      sink(this.buffer.subarray(this.start, this.start + n));
      this.start += n;
      this.position += n;
      count -= n;
    }
    return true;
  }

  /** Reads up to the next byte equal to value without consuming it; false when the file ends first. */
  async skipUntil(value) {
    while (await this.fill(1)) {
      const at = this.buffer.subarray(this.start).indexOf(value);
      const skip = at < 0 ? this.available : at;
      this.start += skip;
      this.position += skip;
      if (at >= 0) return true;
    }
    return false;
  }

  /** Consumes the rest of the file; returns how many bytes were left. */
  consumeRest() {
    const left = this.file.size - this.position;
    this.position = this.file.size;
    this.next = this.file.size;
    this.buffer = new Uint8Array(0);
    this.start = 0;
    return left;
  }
}

export const u16be = (b, i) => (b[i] << 8) | b[i + 1];
export const u16le = (b, i) => b[i] | (b[i + 1] << 8);
export const u32be = (b, i) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
export const u32le = (b, i) => b[i] + (b[i + 1] << 8) + (b[i + 2] << 16) + ((b[i + 3] << 24) >>> 0);
export const ascii = (bytes) => String.fromCharCode(...bytes);

/** Bytes as text, non-printable ones as \xNN (PngWalker.Printable). */
export const printable = (bytes) => Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
