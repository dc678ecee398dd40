/**
 * One decided offer, whatever its kind: banner, card, modal, toast, recommendation strip or
 * loyalty prompt. All content is rendered as text; every href and src passes safeUrl again.
 */
import { useState } from 'preact/hooks';
import type { Decision } from '../collector/protocol.ts';
import { fill } from './i18n.ts';
import { Code, Dialog, Progress, Redeem, str, useSeen, useUid, type Ctx } from './parts.tsx';
import { safeUrl } from './safe-url.ts';
import { bestReward } from '../collector/loyalty/best-reward.ts';

type Offer = NonNullable<Decision['offer']>;

/**
 * Loyalty prompt figures, as the collector fills `content.figures` (all optional, combinable):
 * - `remaining`, `unit` ('currency' | 'points'), `nextTier`, `progress` (0–1): "120.000 ₫ more to Gold"
 * - `balance` (points) and `rewardId`: the balance with a redeem button for that reward
 * - `reward` (name): "Reward unlocked: …"
 * - `expiring` (points) and `expiresAt` (epoch ms): "500 points expire on …"
 * - `currency`: overrides options.currency for `remaining`.
 */
function Figures({ g, x, click }: { g: Record<string, unknown>; x: Ctx; click(): void }) {
  const t = x.f.t;
  // parseFloat turns absent or junk figures into NaN, which the `v == v` test drops.
  const n = (k: string) => {
    const v = parseFloat(g[k] as string);
    return v == v ? v : undefined;
  };
  // After a redemption the balance and the reward on offer come from the member's new state.
  const s = x.s, best = s && bestReward(s.rewards);
  const rem = n('remaining'), bal = s ? s.balance : n('balance'), exp = n('expiring'), at = n('expiresAt');
  const rewardId = s ? best && best.id : str(g.rewardId), reward = s ? best && best.name : str(g.reward);
  const more =
    rem != null && g.nextTier
      ? fill(t.more, g.unit == 'points' ? x.f.points(rem) : x.f.money(rem, str(g.currency) || undefined), str(g.nextTier))
      : '';
  return (
    <>
      {more && <p class="f" part="figure">{more}</p>}
      {more && n('progress') != null && <Progress v={n('progress')!} label={more} />}
      {bal != null && <p class="f" part="figure">{t.balance}: {x.f.points(bal)}</p>}
      {bal != null && rewardId && <Redeem id={rewardId} x={x} onClick={click} />}
      {reward && <p class="f" part="figure">{fill(t.unlocked, str(reward))}</p>}
      {exp != null && at != null && <p class="f" part="figure">{fill(t.expire, x.f.points(exp), x.f.date(at))}</p>}
    </>
  );
}

/** A product recommendation strip. */
function Items({ o, x, click }: { o: Offer; x: Ctx; click(): void }) {
  return (
    <ul part="items">
      {(o.items || []).map((it) => {
        const href = safeUrl(it.link), src = safeUrl(it.image);
        const inner = [
          src && <img part="item-image" src={src} alt="" />,
          <span part="item-title">{str(it.title)}</span>,
          typeof it.price == 'number' && <span part="price">{x.f.money(it.price, str(it.currency) || undefined)}</span>,
        ];
        return <li>{href ? <a part="item" href={href} onClick={click}>{inner}</a> : <div part="item">{inner}</div>}</li>;
      })}
    </ul>
  );
}

/** Renders one decision; clicking records `click`, closing records `dismiss`. */
export function OfferView({ d, x }: { d: Decision; x: Ctx }) {
  const [open, set] = useState(true);
  const ref = useSeen<HTMLElement>(d, x);
  const id = useUid();
  if (!open) return null;
  const o = d.offer!, c = o.content, k = o.kind;
  const link = safeUrl(c.link), img = safeUrl(c.image), cta = str(c.cta) || (link ? x.f.t.view : '');
  const click = () => x.ev('click', d);
  const done = () => {
    click();
    set(false);
  };
  const close = () => {
    set(false);
    x.ev('dismiss', d);
  };
  const body = [
    img && <img part="image" src={img} alt="" />,
    <div class="b">
      <p class="t" part="title" id={id}>{str(c.title)}</p>
      {c.body && <p part="body">{str(c.body)}</p>}
    </div>,
    k == 'loyalty' && c.figures && <Figures g={c.figures} x={x} click={click} />,
    k == 'recommendations' && <Items o={o} x={x} click={click} />,
    str(c.code) && <Code code={str(c.code)} />,
    cta &&
      (link ? (
        <a class="c" part="cta" href={link} onClick={click}>{cta}</a>
      ) : (
        <button type="button" class="c" part="cta" onClick={done}>{cta}</button>
      )),
    <button type="button" class="x" part="close" aria-label={x.f.t.close} onClick={close}>×</button>,
  ];
  return k == 'modal' ? (
    <Dialog r={ref} label={id} close={close} part="offer modal" class="o modal">{body}</Dialog>
  ) : (
    <section ref={ref} aria-labelledby={id} part={'offer ' + k} class={'o ' + k}>{body}</section>
  );
}
