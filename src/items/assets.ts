// Images and audio of a package, as the pupil's browser fetches them. Only media is ever served: the package's
// XML holds the keys, so an asset path naming an item file must find nothing.
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { resolveHref } from './manifest.ts';
import { unsafeEntryName } from './packageReader.ts';
import { descendants, parseXml } from './xml.ts';

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  webm: 'audio/webm',
  mp4: 'video/mp4',
  vtt: 'text/vtt',
};

/** The content type of a servable package file, or null when it is not media (XML, scripts, anything else). */
export function mediaTypeOf(path: string): string | null {
  if (unsafeEntryName(path)) return null;
  const dot = path.lastIndexOf('.');
  const ext = dot < 0 ? '' : path.slice(dot + 1).toLowerCase();
  return Object.hasOwn(MEDIA_TYPES, ext) ? MEDIA_TYPES[ext] : null;
}

/** Attributes that load a file into the page. */
const REF_ATTRIBUTES = ['src', 'data', 'poster'];

/**
 * Points every media reference of an (already stripped) item at the asset route, so the browser loads it with the
 * pupil's session and only from the start. A reference that leaves the package or names no media is removed:
 * the browser must not fetch anything from elsewhere during an exam.
 */
export function rewriteAssetRefs(xml: string, itemFile: string, assetBase: string): string {
  const parsed = parseXml(xml, itemFile);
  if (!parsed.ok) throw new Error(`${itemFile}: ${parsed.problems[0]?.message ?? 'unreadable'}`);
  for (const el of descendants(parsed.root)) rewrite(el, itemFile, assetBase);
  return new XMLSerializer().serializeToString(parsed.doc);
}

function rewrite(el: Element, itemFile: string, assetBase: string): void {
  for (const name of REF_ATTRIBUTES) {
    const value = el.getAttribute(name);
    if (value === null || !el.hasAttribute(name)) continue;
    const path = resolveHref(itemFile, value);
    if (path !== null && mediaTypeOf(path)) el.setAttribute(name, `${assetBase}/${path.split('/').map(encodeURIComponent).join('/')}`);
    else el.removeAttribute(name);
  }
}
