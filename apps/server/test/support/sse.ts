export interface SseEvent {
  id: string | undefined;
  event: string;
  data: any;
  /** Date.now() when the event arrived. */
  receivedAt: number;
}

/** Reads an SSE stream with fetch, collecting parsed events. */
export class SseReader {
  readonly events: SseEvent[] = [];
  private readonly abort = new AbortController();
  status = 0;
  /** True once the server ended the stream (or it was closed here). */
  ended = false;

  static async open(url: string, headers: Record<string, string>): Promise<SseReader> {
    const r = new SseReader();
    const res = await fetch(url, { headers, signal: r.abort.signal });
    r.status = res.status;
    if (res.ok && res.body) void r.pump(res.body);
    return r;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let idx: number;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          if (fields.has('data'))
            this.events.push({
              id: fields.get('id'),
              event: fields.get('event') ?? 'message',
              data: JSON.parse(fields.get('data')!),
              receivedAt: Date.now(),
            });
        }
      }
    } catch {
      // aborted
    } finally {
      this.ended = true;
    }
  }

  find(pred: (e: SseEvent) => boolean): SseEvent | undefined {
    return this.events.find(pred);
  }

  close(): void {
    this.abort.abort();
  }
}
