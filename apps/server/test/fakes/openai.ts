import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeLlmBehaviour =
  /** Answers from passage [1] with a citation (a well-behaved model). */
  | 'grounded'
  /** Says the passages do not contain the answer. */
  | 'no_answer'
  /** Never answers (the client must time out). */
  | 'hang'
  /** 500 with OpenAI's error shape. */
  | 'error'
  /** 429 with `retry-after`. */
  | 'rate_limited';

interface RecordedChat {
  model: string;
  messages: { role: string; content: string }[];
  stream: boolean;
}

const DIM = 64;

/**
 * An OpenAI-compatible server for tests: `POST /v1/chat/completions` (plain and streamed SSE, with
 * usage) and `POST /v1/embeddings` (deterministic hashed bag-of-words vectors), Bearer auth, and the
 * provider's error shapes for failures and rate limits.
 */
export class FakeOpenAi {
  behaviour: FakeLlmBehaviour = 'grounded';
  apiKey = 'sk-test-key';
  readonly chats: RecordedChat[] = [];
  embeddingCalls = 0;
  private server: http.Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (req.url === '/v1/embeddings') {
      this.embeddingCalls++;
      const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
      return json(res, 200, {
        object: 'list',
        model: body.model,
        data: input.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })),
        usage: { prompt_tokens: input.join(' ').split(/\s+/).length, total_tokens: input.join(' ').split(/\s+/).length },
      });
    }
    if (req.url !== '/v1/chat/completions') return json(res, 404, { error: { message: 'Not found', type: 'invalid_request_error' } });

    const messages = body.messages as RecordedChat['messages'];
    this.chats.push({ model: String(body.model), messages, stream: body.stream === true });
    if (this.behaviour === 'hang') return; // the socket stays open until the client gives up
    if (this.behaviour === 'error') return json(res, 500, { error: { message: 'The server had an error', type: 'server_error' } });
    if (this.behaviour === 'rate_limited') {
      res.setHeader('retry-after', '20');
      return json(res, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
    }
    const text = this.behaviour === 'no_answer' ? 'NO_ANSWER' : groundedReply(messages);
    const usage = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 };
    if (body.stream !== true) {
      return json(res, 200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model };
    for (const piece of text.match(/.{1,12}/gsu) ?? []) {
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
    }
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }
}

/** The first sentence of passage [1], cited — or NO_ANSWER when there is no passage. */
function groundedReply(messages: RecordedChat['messages']): string {
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const passage = /\[1\][^\n]*\n([\s\S]*?)(?:\n\n\[2\]|\n<\/passages>)/.exec(user)?.[1]?.trim();
  if (!passage) return 'NO_ANSWER';
  const sentence = /^[^.!?]*[.!?]?/.exec(passage)?.[0] ?? passage;
  return `${sentence.trim()} [1]`;
}

function embed(text: string): number[] {
  const v = new Array<number>(DIM).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261;
    for (const ch of word.slice(0, 5)) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
    v[(h >>> 0) % DIM]! += 1;
  }
  return v;
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
