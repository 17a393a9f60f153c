/** What the widget remembers per channel across reloads (the history itself lives on the server). */
export interface Saved {
  token?: string;
  name?: string;
  email?: string;
  /** The panel was open: a reload (or the next page of the site) opens it again. */
  open?: boolean;
}

/** localStorage, or memory where a browser refuses it (privacy modes, sandboxed frames). */
export class Store {
  private memory: Saved = {};
  private readonly key: string;

  constructor(channelId: string) {
    this.key = `switchboard-widget:${channelId}`;
  }

  load(): Saved {
    try {
      const raw = window.localStorage.getItem(this.key);
      if (raw) this.memory = JSON.parse(raw) as Saved;
    } catch {
      // unavailable or corrupt: start afresh
    }
    return this.memory;
  }

  save(patch: Partial<Saved>): Saved {
    this.memory = { ...this.memory, ...patch };
    for (const k of Object.keys(this.memory) as (keyof Saved)[]) if (this.memory[k] === undefined) delete this.memory[k];
    try {
      window.localStorage.setItem(this.key, JSON.stringify(this.memory));
    } catch {
      // kept in memory for this page
    }
    return this.memory;
  }
}
