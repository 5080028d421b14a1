import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { demoZip, RETSKRIVNING } from './qtiFactories.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'qti-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(script: 'checkCli.ts' | 'scoreCli.ts', ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', `src/items/${script}`, ...args], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('qti:check', { timeout: 60_000 }, () => {
  it('prints one JSON line with exact counts and maxScore for the demo package, exit 0', async () => {
    const zip = join(dir, 'retskrivning.zip');
    writeFileSync(zip, demoZip());
    const { code, stdout } = await cli('checkCli.ts', zip);
    expect(stdout).toBe(
      '{"items":13,"interactions":{"choice":3,"textEntry":5,"inlineChoice":1,"match":1,"order":1,"gapMatch":1,"hottext":1,"extendedText":1},"maxScore":21,"problems":[]}\n',
    );
    expect(code).toBe(0);
  });

  it('exits 1 on the package with a slider and names the element, file and line', async () => {
    const zip = join(dir, 'unsupported.zip');
    writeFileSync(zip, demoZip('unsupported'));
    const { code, stdout } = await cli('checkCli.ts', zip);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { items: number; maxScore: number; problems: unknown[] };
    expect(report.items).toBe(1);
    expect(report.maxScore).toBe(0);
    expect(report.problems).toEqual([
      { file: 'items/skyder.xml', line: 17, message: 'unsupported interaction <qti-slider-interaction>: the item cannot be delivered' },
    ]);
  });

  it('checks a single item file', async () => {
    const { code, stdout } = await cli('checkCli.ts', join(RETSKRIVNING, 'items', 'q05-ordklasser.xml'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ items: 1, maxScore: 3, problems: [] });
  });
});

describe('qti:score', { timeout: 60_000 }, () => {
  const item = (name: string) => join(RETSKRIVNING, 'items', name);

  it('prints score and maxScore for map_response partial credit', async () => {
    const { code, stdout } = await cli('scoreCli.ts', item('q02-flervalg.xml'), '{"RESPONSE":["A","B","C"]}');
    expect({ code, stdout }).toEqual({ code: 0, stdout: '{"score":1,"maxScore":2}\n' });
  });

  it('scores pairs written "A B" and ordered lists', async () => {
    expect((await cli('scoreCli.ts', item('q05-ordklasser.xml'), '{"RESPONSE":["HUS SUB","GRØN ADJ"]}')).stdout).toBe('{"score":2,"maxScore":3}\n');
    expect((await cli('scoreCli.ts', item('q06-alfabet.xml'), '{"RESPONSE":["ZEBRA","AEBLE","OERE","AABEN"]}')).stdout).toBe('{"score":1,"maxScore":1}\n');
  });

  it('treats a missing identifier as no response and marks extended text as manual', async () => {
    expect((await cli('scoreCli.ts', item('q10-to-felter.xml'), '{"FLERTAL":"Bøgerne"}')).stdout).toBe('{"score":1,"maxScore":2}\n');
    expect((await cli('scoreCli.ts', item('q12-skriv.xml'), '{"RESPONSE":"Jeg var på Bornholm."}')).stdout).toBe('{"score":0,"maxScore":0,"manual":true}\n');
  });

  it('exits 2 with a message for responses that are not JSON', async () => {
    const { code, stderr } = await cli('scoreCli.ts', item('q01-valg.xml'), 'B');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^qti:score: responses are not a JSON object/);
  });
});
