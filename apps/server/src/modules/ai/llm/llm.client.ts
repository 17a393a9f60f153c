import type OpenAI from 'openai';
import { circuitBreaker, ConsecutiveBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  maxTokens?: number;
  temperature?: number;
  /** Receives the text as it streams (drafts shown to operators); the full text is still returned. */
  onDelta?: (delta: string) => void;
}

export interface Usage {
  model: string;
  promptTokens: number;
  completionTokens: number;
  failed: boolean;
}

export interface LlmEndpoint {
  baseUrl: string;
  apiKey: string | null;
  chatModel: string | null;
  embeddingModel: string | null;
  timeoutMs: number;
}

/** The one provider interface the assistant uses: chat completions and embeddings. */
export interface LlmClient {
  readonly endpoint: LlmEndpoint;
  chat(messages: ChatMessage[], opts?: ChatOptions): Promise<string>;
  embed(texts: string[]): Promise<number[][]>;
}

export class LlmUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmUnavailableError';
  }
}

/**
 * An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, gateways) through the `openai` SDK: bounded
 * time per call, one SDK retry for transient errors, and a circuit breaker so a dead endpoint costs
 * nothing after three failures in a row (it is tried again after 30 s).
 */
export class OpenAiCompatibleClient implements LlmClient {
  private sdkPromise: Promise<OpenAI> | undefined;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    readonly endpoint: LlmEndpoint,
    private readonly onUsage: (usage: Usage) => void,
    private readonly fetcher?: typeof fetch,
  ) {
    this.breaker = circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(3) });
  }

  /** The SDK, loaded on first use (accounts without an LLM never load it). */
  private sdk(): Promise<OpenAI> {
    const { baseUrl, apiKey, timeoutMs } = this.endpoint;
    return (this.sdkPromise ??= import('openai').then(
      ({ default: OpenAI }) =>
        new OpenAI({
          baseURL: baseUrl,
          apiKey: apiKey ?? 'none',
          timeout: timeoutMs,
          maxRetries: 1,
          ...(this.fetcher ? { fetch: this.fetcher } : {}),
        }),
    ));
  }

  async chat(messages: ChatMessage[], opts: ChatOptions = {}): Promise<string> {
    const model = this.endpoint.chatModel;
    if (!model) throw new LlmUnavailableError('No chat model is configured');
    return this.guarded(model, async () => {
      const base = { model, messages, temperature: opts.temperature ?? 0.1, max_tokens: opts.maxTokens ?? 600 };
      if (!opts.onDelta) {
        const res = await (await this.sdk()).chat.completions.create(base);
        this.record(model, res.usage?.prompt_tokens, res.usage?.completion_tokens);
        return res.choices[0]?.message?.content ?? '';
      }
      const stream = await (await this.sdk()).chat.completions.create({ ...base, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const part of stream) {
        const delta = part.choices[0]?.delta?.content ?? '';
        if (delta) {
          text += delta;
          opts.onDelta(delta);
        }
        if (part.usage) usage = part.usage;
      }
      this.record(model, usage?.prompt_tokens, usage?.completion_tokens);
      return text;
    });
  }

  async embed(texts: string[]): Promise<number[][]> {
    const model = this.endpoint.embeddingModel;
    if (!model) throw new LlmUnavailableError('No embedding model is configured');
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += 64) {
      const batch = texts.slice(i, i + 64);
      const res = await this.guarded(model, async () => (await this.sdk()).embeddings.create({ model, input: batch }));
      this.record(model, res.usage?.prompt_tokens, 0);
      for (const item of [...res.data].sort((a, b) => a.index - b.index)) out.push(item.embedding);
    }
    return out;
  }

  private async guarded<T>(model: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(fn);
    } catch (err) {
      this.onUsage({ model, promptTokens: 0, completionTokens: 0, failed: true });
      const reason = err instanceof Error ? err.message : String(err);
      throw new LlmUnavailableError(`The language model did not answer: ${reason}`, { cause: err });
    }
  }

  private record(model: string, prompt = 0, completion = 0) {
    this.onUsage({ model, promptTokens: prompt, completionTokens: completion, failed: false });
  }
}
