// Server-side scoring of one item. Runs on the server only: keys never go to the browser (see
// pupilView.ts), so the score a pupil gets cannot be computed, or tampered with, on their machine.
import type { Expression, Item, Rule, Scalar, Value } from './model.ts';
import { bestMappedResponse, bestMappedScore, mapValue } from './mapping.ts';
import { typedResponses, type RawResponses } from './responses.ts';
import { isNullValue, sameText, single, valueMember, valuesMatch } from './values.ts';

export interface ItemScore {
  score: number;
  maxScore: number;
  /** Graded by a person (extended text): score is 0 here and the real score comes from the grader. */
  manual: boolean;
}

type Env = { item: Item; responses: Map<string, Value>; outcomes: Map<string, Value> };

/** Scores typed or raw responses; throws on caller mistakes (undeclared identifiers, lists for single). */
export function scoreItem(item: Item, raw: RawResponses): ItemScore {
  const { values, errors } = typedResponses(item, raw);
  if (errors.length > 0) throw new Error(errors.join('; '));
  return { score: item.manual ? 0 : round(runProcessing(item, values)), maxScore: maxScore(item), manual: item.manual };
}

/** The item's maximum automatic score: declared MAXSCORE first, else what its processing can reach. */
export function maxScore(item: Item): number {
  if (item.manual) return 0;
  const declared = item.outcomes.find((o) => o.identifier === 'MAXSCORE')?.defaultValue;
  if (typeof declared === 'number') return declared;
  const p = item.processing;
  if (p.kind === 'none') return 0;
  if (p.kind === 'template' && p.template === 'match_correct') return 1;
  const maxChoicesOf = (id: string) => item.interactions.find((i) => i.responseIdentifier === id)?.maxChoices ?? 0;
  if (p.kind === 'template') {
    const decl = item.responses.find((r) => r.identifier === 'RESPONSE');
    return decl ? round(bestMappedScore(decl, maxChoicesOf(decl.identifier))) : 0;
  }
  // Custom processing: score the key itself (correct responses, or the best mapped values where there is none).
  const best = new Map<string, Value>();
  for (const decl of item.responses) {
    const values = decl.correct.length > 0 ? decl.correct : bestMappedResponse(decl, maxChoicesOf(decl.identifier));
    best.set(decl.identifier, values.length > 0 ? { cardinality: decl.cardinality, baseType: decl.baseType, values } : null);
  }
  return round(Math.max(0, runProcessing(item, best)));
}

function runProcessing(item: Item, responses: Map<string, Value>): number {
  const env: Env = { item, responses, outcomes: new Map() };
  for (const o of item.outcomes) {
    env.outcomes.set(
      o.identifier,
      o.defaultValue === null ? defaultOf(o.baseType) : { cardinality: o.cardinality, baseType: o.baseType, values: [o.defaultValue] },
    );
  }
  if (!env.outcomes.has('SCORE')) env.outcomes.set('SCORE', single('float', 0));
  const p = item.processing;
  if (p.kind === 'template' && p.template === 'match_correct') {
    const ok = valuesMatch(responses.get('RESPONSE') ?? null, correctOf(env, 'RESPONSE')) === true;
    env.outcomes.set('SCORE', single('float', ok ? 1 : 0));
  } else if (p.kind === 'template') {
    const response = responses.get('RESPONSE') ?? null;
    const mapping = item.responses.find((r) => r.identifier === 'RESPONSE')?.mapping;
    env.outcomes.set('SCORE', single('float', isNullValue(response) || !mapping ? 0 : mapValue(mapping, response)));
  } else if (p.kind === 'custom') {
    runRules(env, p.rules);
  }
  const score = env.outcomes.get('SCORE');
  return typeof score?.values[0] === 'number' ? score.values[0] : 0;
}

function defaultOf(baseType: string): Value {
  // Numeric outcomes start at 0 (the spec's default for SCORE-like outcomes); others start NULL.
  return baseType === 'float' || baseType === 'integer' ? single(baseType, 0) : null;
}

function runRules(env: Env, rules: Rule[]): void {
  for (const r of rules) {
    if (r.rule === 'setOutcome') {
      env.outcomes.set(r.identifier, evaluate(env, r.expression));
      continue;
    }
    const branch = r.branches.find((b) => b.when === null || truthy(evaluate(env, b.when)));
    if (branch) runRules(env, branch.then);
  }
}

function truthy(v: Value): boolean {
  return v !== null && v.values[0] === true;
}

function bool(b: boolean | null): Value {
  return b === null ? null : single('boolean', b);
}

function correctOf(env: Env, id: string): Value {
  const decl = env.item.responses.find((r) => r.identifier === id);
  return decl && decl.correct.length > 0 ? { cardinality: decl.cardinality, baseType: decl.baseType, values: decl.correct } : null;
}

function evaluate(env: Env, e: Expression): Value {
  switch (e.op) {
    case 'variable':
      return env.responses.has(e.identifier) ? (env.responses.get(e.identifier) ?? null) : (env.outcomes.get(e.identifier) ?? null);
    case 'correct':
      return correctOf(env, e.identifier);
    case 'baseValue':
      return single(e.baseType, e.value);
    case 'mapResponse': {
      const mapping = env.item.responses.find((r) => r.identifier === e.identifier)?.mapping;
      return single('float', mapping ? mapValue(mapping, env.responses.get(e.identifier) ?? null) : 0);
    }
    case 'isNull':
      return bool(isNullValue(evaluate(env, e.arg)));
    case 'not': {
      const v = evaluate(env, e.arg);
      return v === null ? null : bool(!truthy(v));
    }
    case 'and':
    case 'or': {
      const vs = e.args.map((a) => evaluate(env, a));
      if (vs.some((v) => v === null)) return null;
      return bool(e.op === 'and' ? vs.every(truthy) : vs.some(truthy));
    }
    case 'match':
      return bool(valuesMatch(evaluate(env, e.args[0]), evaluate(env, e.args[1])));
    case 'member':
      return bool(valueMember(evaluate(env, e.args[0]), evaluate(env, e.args[1])));
    case 'stringMatch': {
      const [a, b] = e.args.map((x) => firstOf(evaluate(env, x)));
      if (typeof a !== 'string' || typeof b !== 'string') return null;
      if (!e.substring) return bool(sameText(a, b, e.caseSensitive));
      const [x, y] = e.caseSensitive ? [a, b] : [a.toLocaleLowerCase('da'), b.toLocaleLowerCase('da')];
      return bool(x.normalize('NFC').includes(y.normalize('NFC')));
    }
    case 'sum': {
      let total = 0;
      for (const a of e.args) {
        const v = evaluate(env, a);
        if (v === null) return null;
        for (const n of v.values) {
          if (typeof n !== 'number') return null;
          total += n;
        }
      }
      return single('float', total);
    }
  }
}

function firstOf(v: Value): Scalar | undefined {
  return v?.values[0];
}

/** Scores are sums of decimal fractions (0.1 + 0.2); six places is exact enough and prints cleanly. */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
