/**
 * The network between nodes: directed links with latency, jitter, loss, duplication, optional
 * FIFO order and bandwidth, plus the operator's faults (partitions, holds, clogs, extra delay,
 * loss and duplication overrides).
 *
 * The network decides; the simulator schedules and traces. Each directed link draws from its own
 * random stream (forked by the link's name), so traffic on one link never shifts another's draws.
 *
 * Configuration is in ms (as scenarios write it); every time the network computes is in the
 * kernel's integer microseconds (ADR 0010): latency, jitter draws, transmission, clogs, delivery.
 */
import type { DropReason, Ratio } from '../contract/index.ts';
import { sampleUs, type DistSpec } from '../core/dist.ts';
import { Prng, type PrngState } from '../core/prng.ts';
import { msToUs } from '../core/time.ts';

/** How one directed link behaves. */
export interface LinkConfig {
  /** Base one-way latency in ms. */
  readonly latencyMs: number;
  /** Extra delay drawn per message and added to the base (a jittery network). */
  readonly jitter?: DistSpec;
  /** Chance a message is lost. */
  readonly loss?: Ratio;
  /** Chance a message is delivered twice. */
  readonly duplicate?: Ratio;
  /**
   * True for a single ordered stream (a TCP connection, so a WebSocket): a message never
   * overtakes an earlier one on the link. False lets jitter reorder messages.
   */
  readonly fifo: boolean;
  /** Bytes per ms the link can carry; 0 means unlimited. A 1 Gbit/s link carries 125,000. */
  readonly bandwidthBytesPerMs?: number;
}

/** A link between two named nodes in a topology. */
export interface LinkSpec {
  readonly from: string;
  readonly to: string;
  /** Also configure `to → from` the same way. Default true. */
  readonly twoWay?: boolean;
  readonly config: Partial<LinkConfig>;
}

/** The default link: 1 ms, no jitter, no loss, ordered, unlimited bandwidth. */
export const DEFAULT_LINK: LinkConfig = { latencyMs: 1, fifo: true };

/** Mutable state of one directed link. Times are the kernel's integer µs. */
export interface LinkState {
  readonly from: number;
  readonly to: number;
  config: LinkConfig;
  /** `config.latencyMs` in µs. */
  latencyUs: number;
  rng: Prng;
  /** The operator's `delay` verb, in µs. */
  extraDelayUs: number;
  lossOverride: Ratio | null;
  duplicateOverride: Ratio | null;
  held: boolean;
  heldMessages: unknown[];
  clogUntilUs: number;
  lastDeliverAtUs: number;
  busyUntilUs: number;
}

/** Plain-data form of a link for snapshots. */
export interface LinkSnapshot extends Omit<LinkState, 'rng'> {
  rng: PrngState;
}

/** Plain-data form of the network for snapshots. */
export interface NetworkSnapshot {
  links: LinkSnapshot[];
  blocked: number[];
}

/** Why a message did not arrive. */

/** The network's verdict on one message; reused between calls, read it at once. */
export interface RouteDecision {
  dropped: DropReason | null;
  held: boolean;
  /** Delivery time in µs. */
  deliverAt: number;
  /** Time (µs) of a duplicate delivery, or -1 for none. */
  duplicateAt: number;
}

/**
 * All links of a topology of `nodeCount` nodes, created lazily from the default and the
 * topology's explicit link specs.
 */
export class Network {
  private readonly links = new Map<number, LinkState>();
  private readonly overrides = new Map<number, Partial<LinkConfig>>();
  private blocked = new Set<number>();
  private readonly decision: RouteDecision = { dropped: null, held: false, deliverAt: 0, duplicateAt: -1 };

  constructor(
    private readonly nodeIds: readonly string[],
    private readonly defaultLink: LinkConfig,
    specs: readonly LinkSpec[],
    private readonly rootRng: Prng,
  ) {
    const index = new Map(nodeIds.map((id, i) => [id, i]));
    for (const spec of specs) {
      const from = index.get(spec.from);
      const to = index.get(spec.to);
      if (from === undefined) throw new Error(`link from unknown node "${spec.from}"`);
      if (to === undefined) throw new Error(`link to unknown node "${spec.to}"`);
      this.overrides.set(this.key(from, to), { ...this.overrides.get(this.key(from, to)), ...spec.config });
      if (spec.twoWay !== false) this.overrides.set(this.key(to, from), { ...this.overrides.get(this.key(to, from)), ...spec.config });
    }
  }

  private key(from: number, to: number): number {
    return from * this.nodeIds.length + to;
  }

  /** The state of the directed link `from → to`, created on first use. */
  link(from: number, to: number): LinkState {
    const k = this.key(from, to);
    let link = this.links.get(k);
    if (link === undefined) {
      const config = { ...this.defaultLink, ...this.overrides.get(k) };
      link = {
        from,
        to,
        config,
        latencyUs: msToUs(config.latencyMs, `link ${this.nodeIds[from]}>${this.nodeIds[to]}: latencyMs`),
        rng: this.rootRng.fork(`link:${this.nodeIds[from]}>${this.nodeIds[to]}`),
        extraDelayUs: 0,
        lossOverride: null,
        duplicateOverride: null,
        held: false,
        heldMessages: [],
        clogUntilUs: 0,
        lastDeliverAtUs: 0,
        busyUntilUs: 0,
      };
      this.links.set(k, link);
    }
    return link;
  }

  /** True when `from → to` is cut by a partition. */
  isBlocked(from: number, to: number): boolean {
    return this.blocked.size > 0 && this.blocked.has(this.key(from, to));
  }

  /** Cuts `from → to`. */
  block(from: number, to: number): void {
    this.blocked.add(this.key(from, to));
  }

  /** Restores `from → to`; returns whether it was cut. */
  unblock(from: number, to: number): boolean {
    return this.blocked.delete(this.key(from, to));
  }

  /** Heals every partition; returns how many directed cuts were removed. */
  unblockAll(): number {
    const n = this.blocked.size;
    this.blocked.clear();
    return n;
  }

  /**
   * Decides the fate of a message sent now on `from → to`: dropped (and why), held on the link,
   * or delivered at a time (and maybe once more as a duplicate).
   */
  route(from: number, to: number, nowUs: number, bytes: number): RouteDecision {
    const d = this.decision;
    d.dropped = null;
    d.held = false;
    d.deliverAt = -1;
    d.duplicateAt = -1;
    if (this.isBlocked(from, to)) {
      d.dropped = 'partition';
      return d;
    }
    const link = this.link(from, to);
    const loss = link.lossOverride ?? link.config.loss;
    if (loss !== undefined && link.rng.chance(loss.num, loss.den)) {
      d.dropped = 'loss';
      return d;
    }
    if (link.held) {
      d.held = true;
      return d;
    }
    d.deliverAt = this.deliveryTime(link, nowUs, bytes);
    const dup = link.duplicateOverride ?? link.config.duplicate;
    if (dup !== undefined && link.rng.chance(dup.num, dup.den)) d.duplicateAt = this.deliveryTime(link, nowUs, bytes);
    return d;
  }

  /** When (µs) a message sent at `nowUs` arrives: transmission, latency, jitter, faults, FIFO. */
  deliveryTime(link: LinkState, nowUs: number, bytes: number): number {
    const cfg = link.config;
    let start = nowUs;
    const bw = cfg.bandwidthBytesPerMs ?? 0;
    if (bw > 0) {
      // The link serializes messages: one waits for the previous one to finish transmitting,
      // which takes bytes / bw ms, rounded up to the next whole µs.
      start = Math.max(nowUs, link.busyUntilUs) + Math.ceil((bytes * 1000) / bw);
      link.busyUntilUs = start;
    }
    let at = start + link.latencyUs + link.extraDelayUs;
    if (cfg.jitter !== undefined) at += sampleUs(link.rng, cfg.jitter);
    if (link.clogUntilUs > at) at = link.clogUntilUs;
    if (cfg.fifo && at < link.lastDeliverAtUs) at = link.lastDeliverAtUs;
    if (at > link.lastDeliverAtUs) link.lastDeliverAtUs = at;
    return at;
  }

  /** Plain-data copy for a snapshot. */
  export(): NetworkSnapshot {
    const links: LinkSnapshot[] = [];
    for (const link of this.links.values()) links.push({ ...link, heldMessages: link.heldMessages.slice(), rng: link.rng.state() });
    return { links, blocked: [...this.blocked] };
  }

  /** Replaces the dynamic state with a snapshot's. */
  import(snapshot: NetworkSnapshot): void {
    this.links.clear();
    for (const l of snapshot.links) {
      this.links.set(this.key(l.from, l.to), { ...l, heldMessages: l.heldMessages.slice(), rng: Prng.fromState(l.rng) });
    }
    this.blocked = new Set(snapshot.blocked);
  }
}
