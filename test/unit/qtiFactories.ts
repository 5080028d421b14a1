// Small builders for QTI test data: an item from its parts, and the demo folders as ZIPs.
import { strToU8, zipSync, type Zippable } from 'fflate';
import { join } from 'node:path';
import { parseItem } from '../../src/items/itemParser.ts';
import type { Item } from '../../src/items/model.ts';
import { zipDirectory } from '../../src/items/packageZip.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'qti');
/** The demo's item test (13 Danish items, every interaction): demo content, so it ships with the server. */
export const RETSKRIVNING = join(import.meta.dirname, '..', '..', 'src', 'demo', 'content', 'retskrivning');
export const MATCH_CORRECT_URL = 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml';
export const MAP_RESPONSE_URL = 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml';

export interface ItemParts {
  declarations: string;
  body: string;
  processing?: string;
  outcomes?: string;
}

export function itemXml({ declarations, body, processing = '', outcomes }: ItemParts): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="t" title="t" adaptive="false" time-dependent="false">
${declarations}
${outcomes ?? '<qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"><qti-default-value><qti-value>0</qti-value></qti-default-value></qti-outcome-declaration>'}
<qti-item-body>${body}</qti-item-body>
${processing}
</qti-assessment-item>`;
}

/** Parses and fails loudly: a builder that silently returns null would make scoring tests pass vacuously. */
export function buildItem(parts: ItemParts): Item {
  const { item, problems } = parseItem(itemXml(parts), 'item.xml');
  if (!item) throw new Error(`test item refused: ${JSON.stringify(problems)}`);
  return item;
}

export const template = (url: string) => `<qti-response-processing template="${url}"/>`;

export function demoZip(name: 'retskrivning' | 'unsupported' = 'retskrivning'): Uint8Array {
  return zipDirectory(name === 'retskrivning' ? RETSKRIVNING : join(FIXTURES, name));
}

export const MANIFEST_ONE_ITEM = (href: string) => `<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="m">
  <resources><resource identifier="r" type="imsqti_item_xmlv3p0" href="${href}"/></resources>
</manifest>`;

export function zipOf(files: Record<string, string | Uint8Array>): Uint8Array {
  const z: Zippable = {};
  for (const [name, content] of Object.entries(files)) z[name] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(z);
}
