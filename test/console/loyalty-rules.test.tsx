// @vitest-environment happy-dom
/** The loyalty rules editor: validates as you type with the collector's loyaltySettings schema. */
import { describe, it, expect } from 'vitest';
import { render } from 'preact';
import LoyaltyRules, { parseMultipliers, setIn } from '../../collector/console/ui/pages/loyalty-rules.tsx';
import { defaultLoyaltySettings } from '../../collector/loyalty/settings.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));
const site = { id: 's1', name: 'Shop', currency: 'VND', locale: 'vi-VN' };

function type(el: Element, value: string) {
  (el as HTMLInputElement).value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('loyalty rules editor', () => {
  it('setIn copies along the path and leaves the original alone', () => {
    const a = { tiers: { levels: [{ name: 'M', min: 0 }, { name: 'S', min: 5 }] } };
    const b = setIn(a, ['tiers', 'levels', 1, 'min'], 9);
    expect(b.tiers.levels[1].min).toBe(9);
    expect(a.tiers.levels[1].min).toBe(5);
    expect(b.tiers.levels[0]).toBe(a.tiers.levels[0]);
    expect(Array.isArray(b.tiers.levels)).toBe(true);
  });

  it('reads category multipliers line by line and names the bad line', () => {
    expect(parseMultipliers('coffee = 2\n\ntea: 1.5')).toEqual({ value: { coffee: 2, tea: 1.5 }, error: null });
    expect(parseMultipliers('coffee = 2\ntea twice').error).toBe('line 2: write "category = multiplier"');
  });

  it('shows the schema’s message at the field and blocks saving until it is fixed', async () => {
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(<LoyaltyRules site={site} rules={defaultLoyaltySettings()} editable saved={() => {}} />, root);
    await tick();
    const save = () => root.querySelector('button.primary') as HTMLButtonElement;
    expect(save().disabled).toBe(false);
    expect(root.querySelectorAll('.edit-table tbody tr')).toHaveLength(4);
    expect(root.querySelectorAll('.rewards > li')).toHaveLength(3);

    type(root.querySelector('#ly-tiers-levels-0-min')!, '10');
    await tick();
    expect(root.querySelector('#ly-tiers-levels-0-min-err')?.textContent).toBe('the first tier must start at 0');
    expect(save().disabled).toBe(true);

    type(root.querySelector('#ly-tiers-levels-0-min')!, '0');
    type(root.querySelector('#ly-mult')!, 'coffee = lots');
    await tick();
    expect(root.querySelector('#ly-tiers-levels-0-min-err')).toBeNull();
    expect(root.textContent).toContain('line 1: write "category = multiplier"');
    expect(save().disabled).toBe(true);

    type(root.querySelector('#ly-mult')!, 'coffee = 2');
    type(root.querySelector('#ly-rewards-0-id')!, 'Bad Id');
    await tick();
    expect(root.querySelector('#ly-rewards-0-id-err')?.textContent).toContain('lowercase');
    type(root.querySelector('#ly-rewards-0-id')!, 'voucher-30k');
    await tick();
    expect(save().disabled).toBe(false);
    render(null, root);
  });

  it('is read-only for accounts that may not edit', async () => {
    const root = document.createElement('div');
    render(<LoyaltyRules site={site} rules={defaultLoyaltySettings()} editable={false} saved={() => {}} />, root);
    await tick();
    expect((root.querySelector('fieldset') as HTMLFieldSetElement).disabled).toBe(true);
    expect(root.querySelector('button.primary')).toBeNull();
  });
});
