import type { SimClock } from '../core/clock.ts';
import { randomFor } from '../core/random.ts';
import type { Preset } from '../types.ts';
import { generateDigitalOcean, newDroplet } from './generate.ts';
import type { DoInitialState } from './generate.ts';
import type { DoDroplet, DoUser } from './model.ts';

export interface DropletEvent {
  kind: 'droplet_created' | 'droplet_deleted';
  dropletId: number;
  at: number;
}

/** Droplets created by simulated days get indexes past the seeded ones, so ids never collide. */
const DAY_DROPLET_INDEX = 50_000;

interface Alive {
  createdAt: number;
  deletedAt: number | null;
}

export function aliveAt<T extends Alive>(items: readonly T[], now: number): T[] {
  return items.filter((item) => item.createdAt <= now && (item.deletedAt === null || item.deletedAt > now));
}

/**
 * The simulated team as it stands at simulated now. After the epoch, every simulated day creates
 * one droplet and destroys another at fixed, seeded times of day; `catchUp` applies the events whose
 * time has come, so the same seed and the same advances give the same team.
 */
export class DigitalOceanWorld {
  readonly preset: Preset;
  readonly seed: number;
  readonly clock: SimClock;
  readonly state: DoInitialState;
  #nextDay = 0;
  #nextEventOfDay = 0;

  constructor(preset: Preset, seed: number, clock: SimClock) {
    this.preset = preset;
    this.seed = seed;
    this.clock = clock;
    this.state = generateDigitalOcean(preset, seed, clock.epochMs);
  }

  /** Apply every day event due by simulated now; returns what happened. */
  catchUp(): DropletEvent[] {
    const now = this.clock.now();
    const applied: DropletEvent[] = [];
    for (;;) {
      const times = this.#eventTimes(this.#nextDay);
      const at = times[this.#nextEventOfDay];
      if (at === undefined) {
        this.#nextDay++;
        this.#nextEventOfDay = 0;
        continue;
      }
      if (at > now) return applied;
      const event = this.#nextEventOfDay === 0 ? this.#createDroplet(this.#nextDay, at) : this.#deleteDroplet(this.#nextDay, at);
      if (event) applied.push(event);
      this.#nextEventOfDay++;
    }
  }

  /** [creation time, destruction time] of the given day. */
  #eventTimes(day: number): number[] {
    const random = randomFor(this.seed, 'do', 'day', day);
    const start = this.clock.dayStart(day);
    return [start + random.int(8 * 60, 12 * 60) * 60_000, start + random.int(13 * 60, 18 * 60) * 60_000];
  }

  #createDroplet(day: number, at: number): DropletEvent {
    const random = randomFor(this.seed, 'do', 'day', day, 'create');
    const project = random.pick(this.state.projects);
    const droplet = newDroplet(random, DAY_DROPLET_INDEX + day, at, project.id, '');
    droplet.vpcUuid = this.state.droplets.find((d) => d.region === droplet.region)?.vpcUuid ?? random.uuid();
    this.state.droplets.push(droplet);
    return { kind: 'droplet_created', dropletId: droplet.id, at };
  }

  #deleteDroplet(day: number, at: number): DropletEvent | null {
    const candidates = aliveAt(this.state.droplets, at)
      .filter((d) => d.kubernetesClusterId === null)
      .sort((a, b) => a.id - b.id);
    if (candidates.length === 0) return null;
    const victim = randomFor(this.seed, 'do', 'day', day, 'delete').pick(candidates);
    victim.deletedAt = at;
    // A destroyed droplet leaves its volumes detached and its firewalls and load balancers.
    for (const v of this.state.volumes) if (v.dropletId === victim.id) v.dropletId = null;
    for (const f of this.state.firewalls) f.dropletIds = f.dropletIds.filter((id) => id !== victim.id);
    for (const lb of this.state.loadBalancers) lb.dropletIds = lb.dropletIds.filter((id) => id !== victim.id);
    return { kind: 'droplet_deleted', dropletId: victim.id, at };
  }

  droplets(): DoDroplet[] {
    return aliveAt(this.state.droplets, this.clock.now()).sort((a, b) => a.id - b.id);
  }

  droplet(id: number): DoDroplet | null {
    return this.droplets().find((d) => d.id === id) ?? null;
  }

  /** Droplets no Cloud Firewall covers, by id or by tag. */
  dropletsOutsideFirewalls(): DoDroplet[] {
    const byId = new Set(this.state.firewalls.flatMap((f) => f.dropletIds));
    const byTag = new Set(this.state.firewalls.flatMap((f) => f.tags));
    return this.droplets().filter((d) => !byId.has(d.id) && !d.tags.some((t) => byTag.has(t)));
  }

  user(idOrEmail: string): DoUser | null {
    const key = idOrEmail.toLowerCase();
    return this.state.users.find((u) => u.uuid === key || u.email === key) ?? null;
  }
}
