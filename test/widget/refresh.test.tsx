// @vitest-environment happy-dom
/**
 * The SDK re-renders every current decision whenever any placement gets a new one (a background
 * refresh, a lazily asked placement): what the visitor already did with an offer must hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OfferEventName, WidgetOptions } from '../../widget/api.ts';
import { createWidget } from '../../widget/widget.tsx';
import { DECISIONS, PLACEMENTS } from './fixtures.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));
let events: [OfferEventName, string][];
let widget: ReturnType<typeof createWidget>;
const options = (): WidgetOptions => ({ locale: 'vi', currency: 'VND', onEvent: (name, d) => events.push([name, d.decisionId]) });
const rootOf = (placement: string) => document.querySelector(`[data-idic-placement="${placement}"] idic-offer`)?.shadowRoot;
const overlay = () => document.body.lastElementChild!.shadowRoot!;

beforeEach(() => {
  document.body.innerHTML = PLACEMENTS.map((p) => `<div data-idic-placement="${p}"></div>`).join('');
  events = [];
  widget = createWidget();
});
afterEach(() => widget.clear());

describe('re-rendering the same decisions', () => {
  it('keeps a dismissed inline offer dismissed', async () => {
    widget.render(DECISIONS, options());
    rootOf('home-hero')!.querySelector<HTMLElement>('[part="close"]')!.click();
    await tick();
    widget.render(DECISIONS, options());
    await tick();
    expect(rootOf('home-hero')?.querySelector('section') ?? null).toBeNull();
    expect(events.filter(([n]) => n == 'dismiss')).toEqual([['dismiss', 'd-banner']]);
  });

  it('keeps a dismissed modal dismissed when a later render brings its decision back', async () => {
    widget.render(DECISIONS, options());
    overlay().querySelector<HTMLElement>('[role="dialog"] [part="close"]')!.click();
    await tick();
    widget.render([DECISIONS[0]], options());
    widget.render(DECISIONS, options());
    await tick();
    expect(overlay().querySelector('[role="dialog"]')).toBeNull();
  });

  it('updates inline offers in place: same element, so focus and the visitor’s state stay', () => {
    widget.render(DECISIONS, options());
    const before = rootOf('sidebar')!.querySelector('section');
    widget.render(DECISIONS, options());
    expect(rootOf('sidebar')!.querySelector('section')).toBe(before);
    // A new decision for the placement is a new offer: drawn afresh.
    widget.render([{ ...DECISIONS[1], decisionId: 'd-card-2' }], options());
    expect(rootOf('sidebar')!.querySelector('section')).not.toBe(before);
    expect(document.querySelectorAll('idic-offer')).toHaveLength(2);
  });

  it('shows a new decision in a placement whose earlier offer was dismissed', async () => {
    widget.render([DECISIONS[1]], options());
    rootOf('sidebar')!.querySelector<HTMLElement>('[part="close"]')!.click();
    await tick();
    widget.render([{ ...DECISIONS[1], decisionId: 'd-card-2' }], options());
    expect(rootOf('sidebar')!.querySelector('section')).not.toBeNull();
  });
});

describe('each event once per decision', () => {
  it('records click and dismiss once for one decision shown in two elements of the same placement', async () => {
    document.body.innerHTML = '<div data-idic-placement="sidebar"></div><div data-idic-placement="sidebar"></div>';
    widget.render([DECISIONS[1]], options());
    const copies = [...document.querySelectorAll('idic-offer')].map((h) => h.shadowRoot!);
    expect(copies).toHaveLength(2);
    for (const r of copies) r.querySelector<HTMLElement>('[part="cta"]')!.click();
    for (const r of copies) r.querySelector<HTMLElement>('[part="close"]')!.click();
    await tick();
    expect(events).toEqual([['click', 'd-card'], ['dismiss', 'd-card']]);
  });

  it('records one click for a recommendation strip clicked twice', () => {
    widget.render([DECISIONS[4]], options());
    const items = rootOf('product-recs')!.querySelectorAll<HTMLElement>('a[part="item"]');
    items[0].click();
    items[1].click();
    expect(events.filter(([n]) => n == 'click')).toEqual([['click', 'd-recs']]);
  });
});
