/** Decisions of every offer kind and a loyalty state, as a Vietnamese coffee shop would show them. */
import type { Decision, LoyaltyState } from '../../collector/protocol.ts';

// Inline SVG-free images: tests serve these paths from the page's own origin.
const img = (name: string) => `/img/${name}.svg`;

export const DECISIONS: Decision[] = [
  {
    placement: 'home-hero',
    decisionId: 'd-banner',
    reason: 'MVC, coffee affinity 0.82',
    offer: {
      id: 'vip-coffee', version: 1, kind: 'banner', locale: 'vi',
      content: { title: 'Cà phê Đà Lạt giảm 20% cho bạn', body: 'Ưu đãi riêng cho khách thân thiết, đến hết Chủ nhật.', cta: 'Mua ngay', link: '/category/coffee', image: img('coffee'), code: 'VIP20' },
    },
  },
  {
    placement: 'sidebar',
    decisionId: 'd-card',
    reason: 'MGC, tea affinity 0.61',
    offer: {
      id: 'tea-card', version: 3, kind: 'card', locale: 'vi',
      content: { title: 'Trà ô long mới về', body: 'Hương hoa nhẹ, hợp với buổi chiều. Miễn phí giao hàng cho đơn từ 300.000\u00a0₫.', cta: 'Xem trà', link: '/category/tea', image: img('tea') },
    },
  },
  {
    placement: 'popup',
    decisionId: 'd-modal',
    reason: 'Migrator, last order 94 days ago',
    offer: {
      id: 'winback', version: 2, kind: 'modal', locale: 'vi',
      content: { title: 'Lâu rồi không gặp!', body: 'Quay lại với mã giảm 50.000\u00a0₫ cho đơn hàng tiếp theo.', cta: 'Dùng mã ngay', link: '/cart', code: 'CHAOBAN50', image: img('gift') },
    },
  },
  {
    placement: 'corner',
    decisionId: 'd-toast',
    reason: 'considering, cart 180,000',
    offer: {
      id: 'free-ship', version: 1, kind: 'toast', locale: 'vi',
      content: { title: 'Còn 120.000\u00a0₫ để được miễn phí giao hàng', body: 'Thêm một gói cà phê nữa nhé?', cta: 'Xem gợi ý', link: '/category/coffee' },
    },
  },
  {
    placement: 'product-recs',
    decisionId: 'd-recs',
    reason: 'coffee affinity 0.82, cross-sell',
    offer: {
      id: 'recs', version: 1, kind: 'recommendations', locale: 'vi',
      content: { title: 'Có thể bạn sẽ thích' },
      items: [
        { id: 'p1', title: 'Cà phê Arabica Cầu Đất 250g', price: 145000, image: img('coffee'), link: '/p/p1' },
        { id: 'p2', title: 'Phin nhôm truyền thống', price: 45000, image: img('phin'), link: '/p/p2' },
        { id: 'p3', title: 'Trà ô long Bảo Lộc', price: 120000, image: img('tea'), link: '/p/p3' },
        { id: 'p4', title: 'Ly sứ Bát Tràng', price: 89000, image: img('cup'), link: '/p/p4' },
      ],
    },
  },
  {
    placement: 'loyalty-slot',
    decisionId: 'd-loyalty',
    reason: 'loyalty Silver, 120,000 to Gold',
    offer: {
      id: 'tier-progress', version: 1, kind: 'loyalty', locale: 'vi',
      content: {
        title: 'Sắp lên hạng Vàng!',
        body: 'Hạng Vàng được giảm 5% mọi đơn và quà sinh nhật.',
        cta: 'Mua thêm',
        link: '/category/coffee',
        figures: { remaining: 120000, unit: 'currency', nextTier: 'Vàng', progress: 0.7, balance: 1250, rewardId: 'r-50k', expiring: 300, expiresAt: Date.UTC(2025, 11, 31) },
      },
    },
  },
];

export const LOYALTY: LoyaltyState = {
  balance: 1250,
  tier: 'Bạc',
  nextTier: { name: 'Vàng', remaining: 120000, unit: 'currency', progress: 0.7 },
  rewards: [
    { id: 'r-50k', name: 'Giảm 50.000\u00a0₫', cost: 500, available: true },
    { id: 'r-ship', name: 'Miễn phí giao hàng', cost: 300, available: true },
    { id: 'r-mug', name: 'Ly sứ Bát Tràng', cost: 2000, available: false },
  ],
  expiring: { points: 300, at: Date.UTC(2025, 11, 31) },
  currency: 'VND',
  codes: [
    { code: 'LOY-7K2M', rewardId: 'r-ship', used: false },
    { code: 'LOY-1A9Z', rewardId: 'r-50k', used: true },
  ],
};

/** The placements the fixtures render into. */
export const PLACEMENTS = ['home-hero', 'sidebar', 'product-recs', 'loyalty-slot'];
