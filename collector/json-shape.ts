/**
 * What no JSON reader here can take, found in one walk without recursion: nesting deeper than
 * `maxDepth` (every recursive walker after us — validation, JSON.stringify — would overflow the
 * stack), or a number JSON.parse turned into Infinity (1e309), which JSON.stringify would
 * silently store as null. Shared by request bodies (http/body.ts) and import files.
 */
/** How deep any JSON we take may nest: far beyond any real payload, far below a stack overflow. */
export const MAX_JSON_DEPTH = 32;

export function jsonShapeProblem(root: unknown, maxDepth = MAX_JSON_DEPTH): 'deep' | 'number' | null {
  if (typeof root === 'number') return Number.isFinite(root) ? null : 'number';
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= maxDepth) return 'deep';
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
      else if (typeof child === 'number' && !Number.isFinite(child)) return 'number';
    }
  }
  return null;
}
