import type * as MathLive from 'mathlive';

export type MathLiveModule = typeof MathLive;

let loading: Promise<MathLiveModule> | null = null;
let ready: MathLiveModule | null = null;

/**
 * MathLive, loaded on first use so the lobby and the other roles never download it. Its fonts come from our own
 * origin: the static stylesheet's @font-face rules are bundled by Vite (CSP: fonts only 'self' and data:), so
 * MathLive is told not to fetch a fonts folder of its own (a CDN or a path beside the bundle), and it plays no sounds.
 */
export function loadMathLive(): Promise<MathLiveModule> {
  loading ??= Promise.all([import('mathlive'), import('./mathliveStyles.ts')]).then(([ml]) => {
    ml.MathfieldElement.fontsDirectory = null;
    ml.MathfieldElement.soundsDirectory = null;
    ml.MathfieldElement.keypressSound = null;
    ml.MathfieldElement.plonkSound = null;
    ready = ml;
    return ml;
  });
  // Offline before it was ever fetched: the next formula tries again.
  loading.catch(() => (loading = null));
  return loading;
}

/** The module if it is already here, so a formula is drawn at once rather than after a round trip. */
export const loadedMathLive = (): MathLiveModule | null => ready;
