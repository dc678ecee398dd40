/** Load JSON from the console API into component state; `reload` fetches again. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';

export function useApi<T>(path: string | null): { data: T | null; error: string; reload(): void } {
  const [data, set] = useState<T | null>(null);
  const [error, setError] = useState('');
  const [n, bump] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setError('');
    api<T>(path).then((d) => live && set(d), (e) => live && setError((e as Error).message));
    return () => void (live = false);
  }, [path, n]);
  return { data, error, reload: () => bump((x) => x + 1) };
}

/** Offer id → the name its marketer gave it (empty until loaded): pages that list offers by id show names. */
export function useOfferNames(siteId: string): Map<string, string> {
  const offers = useApi<{ offers: { id: string; name: string }[] }>(`/sites/${siteId}/offers`).data?.offers ?? [];
  return new Map(offers.map((o) => [o.id, o.name]));
}
