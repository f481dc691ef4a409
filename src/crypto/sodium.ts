// libsodium-wrappers loads a WebAssembly module asynchronously. We await it once at
// start-up so every crypto call after that can stay synchronous.
import _sodium from 'libsodium-wrappers';

/**
 * The library object (the default export). Not `typeof import('libsodium-wrappers')`:
 * that is the module namespace, which has extra `default`/`sodium` members the
 * object itself lacks, so it cannot be returned under that type without a cast.
 */
export type Sodium = typeof _sodium;

let loading: Promise<Sodium> | undefined;
let loaded: Sodium | undefined;

/** Initialise libsodium (idempotent; concurrent callers share one load). */
export async function sodiumReady(): Promise<Sodium> {
  if (loading === undefined) {
    loading = _sodium.ready.then(() => {
      loaded = _sodium;
      return _sodium;
    });
  }
  return loading;
}

/** The initialised library; throws if `sodiumReady()` has not completed yet. */
export function sodium(): Sodium {
  if (loaded === undefined) {
    throw new Error('libsodium is not initialised: await sodiumReady() at start-up');
  }
  return loaded;
}
