import { DEFAULT_LIMITS } from './packageReader.ts';

/** The ceiling of the upload body: the package reader's own ZIP limit, so both refuse at the same size. */
export const MAX_ITEM_PACKAGE_BYTES = DEFAULT_LIMITS.maxZipBytes;
