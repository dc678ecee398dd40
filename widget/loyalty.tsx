/**
 * The member launcher: a small badge (balance · tier) that opens the member panel with the
 * tier, progress to the next tier, points about to expire, rewards to redeem and issued codes.
 */
import { useRef, useState } from 'preact/hooks';
import type { LoyaltyState } from '../collector/protocol.ts';
import { fill } from './i18n.ts';
import { Code, Dialog, Progress, Redeem, str, useUid, type Ctx } from './parts.tsx';

export function Launcher({ s, x, o }: { s: LoyaltyState; x: Ctx; o: number }) {
  const [open, set] = useState(false);
  // Asked open again (`o` grew): open in this very render, not after the next frame.
  const asked = useRef(0);
  if (asked.current != o) (asked.current = o), set(true);
  const ref = useRef<HTMLElement>(null);
  const id = useUid();
  const { t, points } = x.f;
  const nt = s.nextTier;
  const more = nt && fill(t.more, nt.unit == 'points' ? points(nt.remaining) : x.f.money(nt.remaining, s.currency || undefined), str(nt.name));
  const close = () => set(false);
  return (
    <>
      <button type="button" class="l" part="launcher" aria-haspopup="dialog" aria-expanded={open} onClick={() => set(true)}>
        ★ {points(s.balance)}<span class="lt"> · {str(s.tier)}</span>
      </button>
      {open && (
        <Dialog r={ref} label={id} close={close} part="panel" class="o modal">
          <p class="t" part="title" id={id}>{t.member}</p>
          <p class="f">{str(s.tier)} · {t.balance}: {points(s.balance)}</p>
          {more ? <Progress v={nt!.progress} label={more} /> : <p>{t.top}</p>}
          {more && <p>{more}</p>}
          {s.expiring && <p>{fill(t.expire, points(s.expiring.points), x.f.date(s.expiring.at))}</p>}
          {s.rewards.map((r) => (
            <div class="rw" part="reward">
              <span>{str(r.name)} · {points(r.cost)}</span>
              <Redeem id={r.id} x={x} off={!r.available} />
            </div>
          ))}
          {s.codes.length > 0 && <p class="f">{t.codes}</p>}
          {s.codes.map((c) => (c.used ? <p class="k s" part="code"><b>{str(c.code)}</b> {t.used}</p> : <Code code={str(c.code)} />))}
          <button type="button" class="x" part="close" aria-label={t.close} onClick={close}>×</button>
        </Dialog>
      )}
    </>
  );
}
