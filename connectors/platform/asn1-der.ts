/**
 * A minimal DER reader and writer: just enough ASN.1 for SM2 key files
 * (PKCS#8, SEC1, SPKI) and ECDSA-style (r, s) signatures. Node's crypto can
 * read SM2 PEM files but cannot export SM2 keys as JWK, so the key bytes are
 * read here. Only definite, minimal lengths are accepted, as DER requires.
 */

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  sequence: 0x30,
  /** Context-specific, constructed: `[0]` and `[1]` in SEC1's ECPrivateKey. */
  context0: 0xa0,
  context1: 0xa1,
} as const;

/** One decoded TLV element. `end` is the offset just past it. */
export interface DerElement {
  tag: number;
  value: Uint8Array;
  start: number;
  end: number;
}

/** Raised for bytes that are not valid DER; callers wrap it with context. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** Reads the element that starts at `offset`. */
export function readElement(bytes: Uint8Array, offset: number): DerElement {
  if (offset + 2 > bytes.length) throw new DerError(`truncated DER at offset ${offset}`);

  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte tag at offset ${offset} is not supported`);

  let length = bytes[offset + 1];
  let headerLength = 2;

  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    // Key files and signatures are far below 16 MiB, so three length bytes suffice.
    if (lengthBytes === 0 || lengthBytes > 3) {
      throw new DerError(`unsupported length form 0x${length.toString(16)} at offset ${offset}`);
    }
    if (offset + 2 + lengthBytes > bytes.length) throw new DerError(`truncated DER length at offset ${offset}`);

    length = 0;
    for (let i = 0; i < lengthBytes; i += 1) length = length * 256 + bytes[offset + 2 + i];
    if (bytes[offset + 2] === 0 || length < 0x80) {
      throw new DerError(`non-minimal DER length at offset ${offset}`);
    }
    headerLength += lengthBytes;
  }

  const start = offset + headerLength;
  const end = start + length;
  if (end > bytes.length) throw new DerError(`DER element at offset ${offset} runs past the end of the input`);

  return { tag, value: bytes.subarray(start, end), start: offset, end };
}

/** Reads the element at offset 0 and checks that nothing follows it. */
export function readSingle(bytes: Uint8Array, expectedTag: number): DerElement {
  const element = expectTag(readElement(bytes, 0), expectedTag);
  if (element.end !== bytes.length) {
    throw new DerError(`${bytes.length - element.end} trailing bytes after the DER element`);
  }
  return element;
}

/** Splits the content of a constructed element into its children. */
export function readChildren(content: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  let offset = 0;

  while (offset < content.length) {
    const child = readElement(content, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function expectTag(element: DerElement, tag: number): DerElement {
  if (element.tag !== tag) {
    throw new DerError(`expected DER tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  }
  return element;
}

/**
 * Returns the magnitude bytes of a non-negative DER INTEGER, without the
 * leading 0x00 that DER adds when the high bit is set.
 */
export function readUnsignedInteger(element: DerElement): Uint8Array {
  expectTag(element, TAG.integer);
  const value = element.value;

  if (value.length === 0) throw new DerError('empty DER INTEGER');
  if (value[0] & 0x80) throw new DerError('negative DER INTEGER where a non-negative one is required');
  if (value.length > 1 && value[0] === 0 && (value[1] & 0x80) === 0) {
    throw new DerError('non-minimal DER INTEGER (superfluous leading zero byte)');
  }
  return value[0] === 0 && value.length > 1 ? value.subarray(1) : value;
}

/** Decodes an OBJECT IDENTIFIER to its dotted form. */
export function readObjectIdentifier(element: DerElement): string {
  expectTag(element, TAG.objectIdentifier);
  const value = element.value;
  if (value.length === 0) throw new DerError('empty OBJECT IDENTIFIER');

  const arcs: number[] = [];
  let arc = 0;
  for (const byte of value) {
    arc = arc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(arc);
      arc = 0;
    }
  }
  if (value[value.length - 1] & 0x80) throw new DerError('truncated OBJECT IDENTIFIER');

  // The first encoded arc packs the first two arcs as 40 * x + y.
  const first = arcs[0];
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** Returns the bits of a BIT STRING that has no unused bits (key encodings). */
export function readBitStringBytes(element: DerElement): Uint8Array {
  expectTag(element, TAG.bitString);
  if (element.value.length === 0 || element.value[0] !== 0) {
    throw new DerError('BIT STRING with unused bits where whole bytes are required');
  }
  return element.value.subarray(1);
}

/** Encodes one TLV element. */
export function encodeElement(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  let header: number[];

  if (length < 0x80) {
    header = [tag, length];
  } else {
    const lengthBytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
    header = [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  }

  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

export function encodeSequence(...children: Uint8Array[]): Uint8Array {
  return encodeElement(TAG.sequence, concatBytes(children));
}

/**
 * Encodes unsigned magnitude bytes as a minimal DER INTEGER: leading zero
 * bytes are dropped, and one 0x00 is put back when the high bit is set so the
 * value stays non-negative.
 */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let first = 0;
  while (first < magnitude.length - 1 && magnitude[first] === 0) first += 1;

  const trimmed = magnitude.length === 0 ? new Uint8Array([0]) : magnitude.subarray(first);
  const content = trimmed[0] & 0x80 ? concatBytes([new Uint8Array([0]), trimmed]) : trimmed;
  return encodeElement(TAG.integer, content);
}

export function encodeObjectIdentifier(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((part) => Number.parseInt(part, 10));
  const encodedArcs = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  const bytes: number[] = [];

  for (const arc of encodedArcs) {
    const groups: number[] = [];
    for (let rest = arc; ; rest = Math.floor(rest / 128)) {
      groups.unshift(rest % 128);
      if (rest < 128) break;
    }
    groups.forEach((group, index) => bytes.push(index < groups.length - 1 ? group | 0x80 : group));
  }
  return encodeElement(TAG.objectIdentifier, Uint8Array.from(bytes));
}

export function encodeBitString(bytes: Uint8Array): Uint8Array {
  return encodeElement(TAG.bitString, concatBytes([new Uint8Array([0]), bytes]));
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;

  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
