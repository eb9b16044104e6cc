import { z } from 'zod';
import { Random, hashLabels } from './random.ts';
import type { ProviderSlug } from '../types.ts';

export const FAULT_KINDS = [
  '429',
  '500',
  '502',
  '503',
  'slow',
  'timeout',
  'drop',
  'html_challenge',
  'truncated_json',
  'expired_token',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRuleInput = z.object({
  /** Omitted: both providers. */
  provider: z.enum(['digitalocean', 'bitbucket']).optional(),
  /**
   * Glob (`*` = anything) over the request path under the provider's base (`/v2/droplets`,
   * `/2.0/repositories/acme/api/commits`, `/v1/oauth/token`) or over the route template
   * (`/2.0/repositories/{workspace}/{repo_slug}/commits`). Omitted: every route.
   */
  route: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  kind: z.enum(FAULT_KINDS),
  /** Chance that a matching request is hit; draws come from the rule's own seeded sequence. */
  probability: z.number().min(0).max(1).default(1),
  seed: z.number().int().optional(),
  /** Stop after hitting this many requests. */
  times: z.number().int().positive().optional(),
  /** `slow`: added delay (default 2 s). `timeout`: how long the request is held (default 10 min). */
  delayMs: z.number().int().min(0).max(3_600_000).optional(),
  /** `html_challenge`: the status sent with the HTML page (default 403). */
  status: z.union([z.literal(403), z.literal(503), z.literal(200)]).optional(),
});
export type FaultRuleInput = z.input<typeof faultRuleInput>;

export interface FaultRule {
  id: string;
  provider: ProviderSlug | null;
  route: string | null;
  method: string | null;
  kind: FaultKind;
  probability: number;
  seed: number;
  times: number | null;
  delayMs: number | null;
  status: 403 | 503 | 200 | null;
  hits: number;
  /** Matching requests seen, hit or not. */
  seen: number;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** The fault rules in force, checked in the order they were added; the first hit wins. */
export class FaultRules {
  #rules: Array<{ rule: FaultRule; pattern: RegExp | null; random: Random }> = [];
  #nextId = 1;

  add(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleInput.parse(input);
    const id = `fault_${this.#nextId++}`;
    const seed = parsed.seed ?? hashLabels('fault', id);
    const rule: FaultRule = {
      id,
      provider: parsed.provider ?? null,
      route: parsed.route ?? null,
      method: parsed.method?.toUpperCase() ?? null,
      kind: parsed.kind,
      probability: parsed.probability,
      seed,
      times: parsed.times ?? null,
      delayMs: parsed.delayMs ?? null,
      status: parsed.status ?? null,
      hits: 0,
      seen: 0,
    };
    this.#rules.push({ rule, pattern: rule.route ? globToRegExp(rule.route) : null, random: new Random(seed) });
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.#rules.map(({ rule }) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter(({ rule }) => rule.id !== id);
    return this.#rules.length < before;
  }

  clear(): void {
    this.#rules = [];
  }

  /** The rule that hits this request, if any. `path` and `template` are under the provider's base. */
  pick(provider: ProviderSlug, method: string, path: string, template: string): FaultRule | null {
    for (const entry of this.#rules) {
      const { rule, pattern, random } = entry;
      if (rule.provider && rule.provider !== provider) continue;
      if (rule.method && rule.method !== method) continue;
      if (pattern && !pattern.test(path) && !pattern.test(template)) continue;
      if (rule.times !== null && rule.hits >= rule.times) continue;
      rule.seen++;
      if (random.next() >= rule.probability) continue;
      rule.hits++;
      return rule;
    }
    return null;
  }
}
