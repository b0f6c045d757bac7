// UTF-8 sequence arithmetic for locating the first invalid byte (decode.ts); the decoding itself is TextDecoder's.

/** Bytes at the end of a valid UTF-8 prefix that start a sequence not yet complete (0-3). */
export function utf8IncompleteTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.byteLength); back += 1) {
    const byte = bytes[bytes.byteLength - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence (overlong, surrogate, out of range, stray
 * continuation), or -1. A sequence cut off by the end of the buffer is not invalid here.
 * @example firstInvalidUtf8Index(new Uint8Array([0x61, 0xe9, 0x62])) // 1 (Latin-1 'é')
 */
export function firstInvalidUtf8Index(bytes: Uint8Array): number {
  let index = 0;
  const length = bytes.byteLength;
  while (index < length) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    let needed: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return index;
    for (let k = 1; k <= needed; k += 1) {
      if (index + k >= length) return -1;
      const byte = bytes[index + k] as number;
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (byte < min || byte > max) return index;
    }
    index += needed + 1;
  }
  return -1;
}
