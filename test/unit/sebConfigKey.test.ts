import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configKey, configKeyHash, parseSebPlist, toSebJson } from '../../src/lockdown/configKey.ts';
import { sebDocument, sebSettings } from '../../src/lockdown/sebFile.ts';

describe('SEB Config Key', () => {
  it('matches the key SEB for macOS 2.1.4 computed for its own saved file', () => {
    const xml = readFileSync('test/fixtures/seb/unencrypted_mac_2.1.4.seb', 'utf8');
    expect(configKey(parseSebPlist(xml))).toBe('4fa9af8ec8759eb7c680752ef4ee5eaf1a860628608fccae2715d519849f9292');
  });

  it('ignores originatorVersion anywhere and empty dictionaries', () => {
    const base = { startURL: 'https://x.dk/', sub: { a: 1 } };
    expect(configKey({ ...base, originatorVersion: 'SEB_Win_3.0', empty: {} })).toBe(configKey(base));
  });

  it('orders keys case-insensitively, lower case first, and recursively into arrays', () => {
    expect(toSebJson({ allowWLAN: true, allowWlan: false, Zeta: 1, alpha: [{ b: 1, A: 2 }] })).toBe(
      '{"allowWlan":false,"allowWLAN":true,"alpha":[{"A":2,"b":1}],"Zeta":1}',
    );
  });

  it('escapes nothing (a backslash in a URL filter stays single) and writes data as Base64', () => {
    expect(toSebJson({ expr: 'a\\.b/c"', salt: new Uint8Array([1, 2, 3]) })).toBe('{"expr":"a\\.b/c"","salt":"AQID"}');
  });

  it('binds the request hash to the URL without its fragment', () => {
    const key = 'a'.repeat(64);
    expect(configKeyHash('https://p.dk/x?y=1#frag', key)).toBe(configKeyHash('https://p.dk/x?y=1', key));
    expect(configKeyHash('https://p.dk/x', key)).not.toBe(configKeyHash('https://p.dk/z', key));
  });

  it('a generated .seb document round-trips to the same key', () => {
    const settings = sebSettings({
      startUrl: 'https://p.dk/?sitting=1',
      quitUrl: 'https://p.dk/seb-quit',
      quitPassword: 'Q',
      examKeySalt: Buffer.alloc(32, 7),
      allowedOrigin: 'https://p.dk',
      aids: { spellCheck: false },
    });
    expect(configKey(parseSebPlist(sebDocument(settings)))).toBe(configKey(settings));
  });
});
