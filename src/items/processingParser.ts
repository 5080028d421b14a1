// qti-response-processing to a typed tree. Only the operators we can score exactly are accepted; an
// unknown one refuses the item rather than silently scoring it as 0 on exam day.
import type { Element } from '@xmldom/xmldom';
import type { Expression, Problem, ResponseProcessing, Rule } from './model.ts';
import { asBaseType, toScalar } from './values.ts';
import { attr, children, leafText, lineOf, nameOf } from './xml.ts';

const TEMPLATES = ['match_correct', 'map_response'] as const;

/**
 * The standard template a URL or short name stands for. Accepts the 1EdTech 3.0 URL
 * (…/rptemplates/match_correct.xml), the 2.x URL without ".xml", and the bare name.
 */
export function templateName(raw: string): (typeof TEMPLATES)[number] | null {
  const last = raw.trim().split(/[/\\]/).pop() ?? '';
  const name = last.replace(/\.xml$/i, '');
  return TEMPLATES.find((t) => t === name) ?? null;
}

class Refusal extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the item's response processing; `el` absent means the item has none (nothing is scored). */
export function readProcessing(el: Element | undefined, file: string): { processing: ResponseProcessing; problems: Problem[] } {
  if (!el) return { processing: { kind: 'none' }, problems: [] };
  const template = attr(el, 'template');
  if (template !== null) {
    const name = templateName(template);
    if (name) return { processing: { kind: 'template', template: name }, problems: [] };
    return {
      processing: { kind: 'none' },
      problems: [{ file, line: lineOf(el), message: `unsupported response processing template "${template}"` }],
    };
  }
  try {
    return { processing: { kind: 'custom', rules: children(el).map(readRule) }, problems: [] };
  } catch (err) {
    if (err instanceof Refusal) return { processing: { kind: 'none' }, problems: [{ file, line: err.line, message: err.message }] };
    throw err;
  }
}

function readRule(el: Element): Rule {
  switch (nameOf(el)) {
    case 'qti-set-outcome-value':
      return { rule: 'setOutcome', identifier: required(el, 'identifier'), expression: only(el) };
    case 'qti-response-condition':
      return { rule: 'condition', branches: readBranches(el) };
    default:
      throw new Refusal(lineOf(el), `unsupported response rule <${nameOf(el)}>`);
  }
}

function readBranches(condition: Element): { when: Expression | null; then: Rule[] }[] {
  const branches: { when: Expression | null; then: Rule[] }[] = [];
  for (const [i, el] of children(condition).entries()) {
    const name = nameOf(el);
    const expected = i === 0 ? 'qti-response-if' : name === 'qti-response-else' ? name : 'qti-response-else-if';
    if (name !== expected || (name === 'qti-response-else' && i !== children(condition).length - 1)) {
      throw new Refusal(lineOf(el), `<${name}> is out of place in <qti-response-condition>`);
    }
    const parts = children(el);
    if (name === 'qti-response-else') {
      branches.push({ when: null, then: parts.map(readRule) });
    } else {
      if (parts.length === 0) throw new Refusal(lineOf(el), `<${name}> has no condition`);
      branches.push({ when: readExpression(parts[0]), then: parts.slice(1).map(readRule) });
    }
  }
  if (branches.length === 0) throw new Refusal(lineOf(condition), '<qti-response-condition> has no <qti-response-if>');
  return branches;
}

function readExpression(el: Element): Expression {
  const name = nameOf(el);
  switch (name) {
    case 'qti-variable':
      return { op: 'variable', identifier: required(el, 'identifier') };
    case 'qti-correct':
      return { op: 'correct', identifier: required(el, 'identifier') };
    case 'qti-map-response':
      return { op: 'mapResponse', identifier: required(el, 'identifier') };
    case 'qti-base-value': {
      const baseType = asBaseType(attr(el, 'base-type'));
      if (!baseType) throw new Refusal(lineOf(el), `<qti-base-value> has an unsupported base-type "${attr(el, 'base-type') ?? ''}"`);
      const value = toScalar(leafText(el), baseType);
      if (value === undefined) throw new Refusal(lineOf(el), `<qti-base-value> "${leafText(el)}" is not a ${baseType}`);
      return { op: 'baseValue', baseType, value };
    }
    case 'qti-is-null':
      return { op: 'isNull', arg: only(el) };
    case 'qti-not':
      return { op: 'not', arg: only(el) };
    case 'qti-match':
      return { op: 'match', args: two(el) };
    case 'qti-member':
      return { op: 'member', args: two(el) };
    case 'qti-string-match':
      return {
        op: 'stringMatch',
        args: two(el),
        // case-sensitive is required by the spec; if an author forgot it, exact spelling is the safe reading.
        caseSensitive: attr(el, 'case-sensitive') !== 'false',
        substring: attr(el, 'substring') === 'true',
      };
    case 'qti-sum':
    case 'qti-and':
    case 'qti-or': {
      const args = children(el).map(readExpression);
      if (args.length === 0) throw new Refusal(lineOf(el), `<${name}> needs at least one expression`);
      return name === 'qti-sum' ? { op: 'sum', args } : { op: name === 'qti-and' ? 'and' : 'or', args };
    }
    default:
      throw new Refusal(lineOf(el), `unsupported expression <${name}> in response processing`);
  }
}

function required(el: Element, name: string): string {
  const v = attr(el, name);
  if (!v) throw new Refusal(lineOf(el), `<${nameOf(el)}> has no ${name}`);
  return v;
}

function only(el: Element): Expression {
  const parts = children(el);
  if (parts.length !== 1) throw new Refusal(lineOf(el), `<${nameOf(el)}> needs exactly one expression, found ${parts.length}`);
  return readExpression(parts[0]);
}

function two(el: Element): [Expression, Expression] {
  const parts = children(el);
  if (parts.length !== 2) throw new Refusal(lineOf(el), `<${nameOf(el)}> needs exactly two expressions, found ${parts.length}`);
  return [readExpression(parts[0]), readExpression(parts[1])];
}
