/**
 * Bytes waiting for a slow reader, copied into fixed-size chunks that are
 * reused once written. A reader that stays slow then costs no allocation
 * and leaves no garbage: memory is what is pending (bounded by the writer's
 * `maxBuffered`) plus, after a backlog, as many spare chunks kept for reuse.
 */
export class ByteQueue {
  /** The size of a chunk. */
  static readonly CHUNK = 64 * 1024;

  readonly #chunks: Buffer[] = [];
  readonly #spare: Buffer[] = [];
  #maxSpare: number;
  /** First unwritten byte of the first chunk. */
  #head = 0;
  /** Bytes used in the last chunk. */
  #tail = 0;
  #length = 0;

  /** `maxBytes`: the most that will be pending, which bounds the spare chunks kept. */
  constructor(maxBytes: number) {
    this.#maxSpare = Math.ceil(maxBytes / ByteQueue.CHUNK);
  }

  /** Raises the most that will be pending to `maxBytes`, which bounds the spare chunks kept. */
  reserve(maxBytes: number): void {
    this.#maxSpare = Math.max(this.#maxSpare, Math.ceil(maxBytes / ByteQueue.CHUNK));
  }

  /** Bytes pending. */
  get length(): number {
    return this.#length;
  }

  /** Appends a copy of `data`. */
  push(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      let last = this.#chunks.at(-1);
      if (last === undefined || this.#tail === ByteQueue.CHUNK) {
        last = this.#spare.pop() ?? Buffer.allocUnsafeSlow(ByteQueue.CHUNK);
        this.#chunks.push(last);
        this.#tail = 0;
      }
      const copied = data.copy(last, this.#tail, offset);
      this.#tail += copied;
      offset += copied;
    }
    this.#length += data.length;
  }

  /** The oldest pending bytes (at most one chunk), as a view, not a copy. Empty when nothing is pending. */
  peek(): Buffer {
    const first = this.#chunks[0];
    if (first === undefined) return Buffer.alloc(0);
    return first.subarray(this.#head, this.#chunks.length === 1 ? this.#tail : ByteQueue.CHUNK);
  }

  /** Forgets the oldest `n` bytes (at most what {@link peek} returned): they were written. */
  consume(n: number): void {
    this.#length -= n;
    this.#head += n;
    const end = this.#chunks.length === 1 ? this.#tail : ByteQueue.CHUNK;
    if (this.#head < end) return;
    const done = this.#chunks.shift() as Buffer;
    this.#head = 0;
    if (this.#chunks.length === 0) this.#tail = 0;
    if (this.#spare.length < this.#maxSpare) this.#spare.push(done);
  }

  /** Forgets everything pending; returns how many lines (newlines) that was. */
  clear(): number {
    let lines = 0;
    while (this.#length > 0) {
      const view = this.peek();
      for (let i = view.indexOf(10); i !== -1; i = view.indexOf(10, i + 1)) lines++;
      this.consume(view.length);
    }
    return lines;
  }
}
