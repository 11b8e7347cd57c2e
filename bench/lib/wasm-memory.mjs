// The package's wasm linear memory, which pkg/node.js does not export: the first
// WebAssembly.Instance made while the package is imported is caught on the way.
// Linear memory only grows (wasm has no shrink), so its size is what the process holds.

/** Imports `specifier` (the package, as an absolute URL) and returns `{ api, memory }`. */
export async function importWithMemory(specifier) {
  const Instance = WebAssembly.Instance;
  let memory = null;
  WebAssembly.Instance = function CaughtInstance(module, imports) {
    const instance = new Instance(module, imports);
    memory ??= instance.exports.memory ?? null;
    return instance;
  };
  WebAssembly.Instance.prototype = Instance.prototype;
  try {
    const api = await import(specifier);
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('the package made no wasm instance with an exported memory');
    return { api, memory };
  } finally {
    WebAssembly.Instance = Instance;
  }
}

/** Bytes as MiB with one decimal. */
export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
