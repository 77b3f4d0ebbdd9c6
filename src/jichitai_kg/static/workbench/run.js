// One query at a time, and only the newest answer shown: every request carries a random id
// (X-Query-Id); a new run aborts the one before (AbortController) and asks the server to stop
// its worker (POST /cancel/<id>); an answer that arrives after a newer run started is dropped.

export function newQueryId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes); // also on plain-HTTP pages, unlike randomUUID
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Runner {
  constructor({ cancelBase, onChange }) {
    this.cancelBase = cancelBase;
    this.onChange = onChange || (() => {});
    this.active = null; // {id, controller, seq}
    this.seq = 0;
  }

  get running() {
    return this.active !== null;
  }

  /** Fetch ``url``; resolves to {resp, text, id}, or null when a newer run or Stop overtook it. */
  async start(url, init) {
    this.stop();
    const seq = ++this.seq;
    const id = newQueryId();
    const controller = new AbortController();
    this.active = { id, controller, seq };
    this.onChange(true, id);
    try {
      const resp = await fetch(url, { ...init, signal: controller.signal,
        headers: { ...(init.headers || {}), "X-Query-Id": id } });
      const text = await resp.text();
      return seq === this.seq ? { resp, text, id } : null; // a late answer is dropped
    } catch (err) {
      if (seq !== this.seq || (err && err.name === "AbortError")) return null;
      throw err;
    } finally {
      if (this.active && this.active.seq === seq) {
        this.active = null;
        this.onChange(false, id);
      }
    }
  }

  /** Stop the running query, in the browser and on the server; false when none runs. */
  stop() {
    const a = this.active;
    if (!a) return false;
    this.active = null;
    this.seq += 1; // whatever still arrives for it is stale
    a.controller.abort();
    // The server may not have handed the query to a worker yet: ask again a few times.
    const ask = (tries) => fetch(this.cancelBase + a.id, { method: "POST", keepalive: true })
      .then((r) => r.json()).then((j) => { if (!j.cancelled && tries > 1) setTimeout(() => ask(tries - 1), 250); })
      .catch(() => {});
    ask(6);
    this.onChange(false, a.id);
    return true;
  }
}
