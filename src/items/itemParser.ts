// qti-assessment-item XML to the typed Item. Every reason to refuse an item is collected (not just
// the first) so an author fixes a package in one round; an item with any problem is not returned.
import type { Element } from '@xmldom/xmldom';
import type { Interaction, Item, Mapping, OutcomeDeclaration, Problem, ResponseDeclaration, Scalar } from './model.ts';
import { readInteractions } from './interactions.ts';
import { readProcessing } from './processingParser.ts';
import { asBaseType, asCardinality, toScalar } from './values.ts';
import { attr, child, children, leafText, lineOf, nameOf, parseXml } from './xml.ts';

export interface ParsedItem {
  item: Item | null;
  problems: Problem[];
}

/** Parses one item file. `file` is the name used in problems (the path inside the package). */
export function parseItem(text: string, file: string): ParsedItem {
  const parsed = parseXml(text, file);
  if (!parsed.ok) return { item: null, problems: parsed.problems };
  const root = parsed.root;
  if (nameOf(root) !== 'qti-assessment-item') {
    return { item: null, problems: [{ file, line: lineOf(root), message: `expected <qti-assessment-item>, found <${nameOf(root)}>` }] };
  }
  const problems: Problem[] = [];
  const responses = children(root, 'qti-response-declaration').map((el) => readResponse(el, file, problems));
  const outcomes = children(root, 'qti-outcome-declaration').map((el) => readOutcome(el, file, problems));
  const body = child(root, 'qti-item-body');
  const found = body ? readInteractions(body, file) : { interactions: [], problems: [] };
  if (!body) problems.push({ file, line: lineOf(root), message: 'the item has no <qti-item-body>' });
  problems.push(...found.problems);
  const { processing, problems: rpProblems } = readProcessing(child(root, 'qti-response-processing'), file);
  problems.push(...rpProblems);

  const declared = responses.filter((r): r is ResponseDeclaration => r !== null);
  checkReferences(found.interactions, declared, file, problems);
  if (processing.kind === 'template' && !declared.some((r) => r.identifier === 'RESPONSE')) {
    problems.push({ file, line: lineOf(root), message: `template ${processing.template} scores RESPONSE, which is not declared` });
  }
  if (processing.kind === 'template' && processing.template === 'map_response') {
    const r = declared.find((d) => d.identifier === 'RESPONSE');
    if (r && !r.mapping) problems.push({ file, line: r.line, message: 'map_response needs a <qti-mapping> on RESPONSE' });
  }
  if (problems.length > 0) return { item: null, problems };
  const interactions = found.interactions;
  return {
    item: {
      identifier: attr(root, 'identifier') ?? file,
      title: attr(root, 'title') ?? '',
      file,
      responses: declared,
      outcomes: outcomes.filter((o): o is OutcomeDeclaration => o !== null),
      interactions,
      processing,
      manual: interactions.length > 0 && interactions.every((i) => i.kind === 'extendedText'),
    },
    problems,
  };
}

function readResponse(el: Element, file: string, problems: Problem[]): ResponseDeclaration | null {
  const identifier = attr(el, 'identifier');
  const cardinality = asCardinality(attr(el, 'cardinality'));
  const baseType = asBaseType(attr(el, 'base-type'));
  const line = lineOf(el);
  if (!identifier || !cardinality || !baseType) {
    const what = !identifier ? 'no identifier' : !cardinality ? `cardinality "${attr(el, 'cardinality') ?? ''}"` : `base-type "${attr(el, 'base-type') ?? ''}"`;
    problems.push({ file, line, message: `<qti-response-declaration> with unsupported ${what}` });
    return null;
  }
  const correctEl = child(el, 'qti-correct-response');
  const correct = correctEl ? readValues(correctEl, baseType, file, problems) : [];
  const mappingEl = child(el, 'qti-mapping');
  const mapping = mappingEl ? readMapping(mappingEl, baseType, file, problems) : null;
  if (cardinality === 'single' && correct.length > 1) {
    problems.push({ file, line, message: `${identifier} has cardinality single but ${correct.length} correct values` });
  }
  return { identifier, cardinality, baseType, correct, mapping, line };
}

function readValues(el: Element, baseType: NonNullable<ReturnType<typeof asBaseType>>, file: string, problems: Problem[]): Scalar[] {
  const out: Scalar[] = [];
  for (const v of children(el, 'qti-value')) {
    const s = toScalar(leafText(v), baseType);
    if (s === undefined) problems.push({ file, line: lineOf(v), message: `"${leafText(v)}" is not a ${baseType}` });
    else out.push(s);
  }
  return out;
}

function readMapping(el: Element, baseType: NonNullable<ReturnType<typeof asBaseType>>, file: string, problems: Problem[]): Mapping {
  const num = (name: string): number | null => {
    const raw = attr(el, name);
    if (raw === null) return null;
    const n = Number(raw);
    if (!Number.isFinite(n)) problems.push({ file, line: lineOf(el), message: `<qti-mapping> ${name} "${raw}" is not a number` });
    return Number.isFinite(n) ? n : null;
  };
  const entries: Mapping['entries'] = [];
  for (const e of children(el, 'qti-map-entry')) {
    const key = toScalar(attr(e, 'map-key') ?? '', baseType);
    const value = Number(attr(e, 'mapped-value'));
    if (key === undefined || !Number.isFinite(value)) {
      problems.push({ file, line: lineOf(e), message: `<qti-map-entry> needs a ${baseType} map-key and a numeric mapped-value` });
      continue;
    }
    // QTI 3.0 makes case-sensitive optional with default true: exact spelling unless the author relaxes it.
    entries.push({ key, value, caseSensitive: attr(e, 'case-sensitive') !== 'false' });
  }
  return { lowerBound: num('lower-bound'), upperBound: num('upper-bound'), defaultValue: num('default-value') ?? 0, entries };
}

function readOutcome(el: Element, file: string, problems: Problem[]): OutcomeDeclaration | null {
  const identifier = attr(el, 'identifier');
  const cardinality = asCardinality(attr(el, 'cardinality'));
  const baseType = asBaseType(attr(el, 'base-type'));
  if (!identifier || !cardinality || !baseType) {
    problems.push({
      file,
      line: lineOf(el),
      message: `<qti-outcome-declaration> ${identifier ?? ''} needs identifier, cardinality and a supported base-type`,
    });
    return null;
  }
  const dv = child(el, 'qti-default-value');
  const values = dv ? readValues(dv, baseType, file, problems) : [];
  return { identifier, cardinality, baseType, defaultValue: values[0] ?? null, line: lineOf(el) };
}

/** Every interaction needs a declaration, and keys may only name choices that exist in that interaction. */
function checkReferences(interactions: Interaction[], declared: ResponseDeclaration[], file: string, problems: Problem[]): void {
  for (const i of interactions) {
    const decl = declared.find((d) => d.identifier === i.responseIdentifier);
    if (!decl) {
      problems.push({ file, line: i.line, message: `response-identifier "${i.responseIdentifier}" has no <qti-response-declaration>` });
      continue;
    }
    if (i.choiceIdentifiers.length === 0 || !['identifier', 'pair', 'directedPair'].includes(decl.baseType)) continue;
    const keys = [...decl.correct, ...(decl.mapping?.entries.map((e) => e.key) ?? [])];
    for (const key of keys) {
      const unknown = String(key)
        .split(' ')
        .filter((id) => !i.choiceIdentifiers.includes(id));
      if (unknown.length > 0) {
        problems.push({
          file,
          line: decl.line,
          message: `${decl.identifier} refers to "${unknown.join(' ')}", which is no choice of the interaction on line ${i.line}`,
        });
      }
    }
  }
}
