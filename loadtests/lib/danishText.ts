/** A deterministic stream of plausible Danish essay text (seeded), so every run types comparable prose. */
const WORDS = (
  'jeg du han hun vi de det der som og men for at på i med til fra om over under efter før når hvis fordi ' +
  'sommer vinter skolen klassen vennerne familien stranden skoven byen havet søen åen ældre yngre første sidste hele ' +
  'tænkte mærkede huskede fortalte skrev gik løb så hørte følte vidste kunne ville skulle måtte blev var havde er har ' +
  'lille stor gammel ny smuk kold varm stille mørk lys glad trist træt nysgerrig bange rolig ærlig ørken æble øje ånd ' +
  'morgen aften dag nat tid år øjeblik minde drøm håb frygt glæde sorg venskab rejse vej hjem dør vindue bord stol'
).split(' ');

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Endless sentences: 6–16 words, capitalised, ending in a full stop. */
export function* danishSentences(seed: number): Generator<string> {
  const rnd = mulberry32(seed);
  for (;;) {
    const n = 6 + Math.floor(rnd() * 11);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]);
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    yield `${words.join(' ')}${rnd() < 0.1 ? '!' : '.'} `;
  }
}
