/** The demo shop's catalogue: a Vietnamese coffee & tea house, prices in VND. */
export interface Product {
  id: string;
  category: Category;
  name: { en: string; vi: string };
  price: number;
  emoji: string;
  blurb: { en: string; vi: string };
}
export type Category = 'coffee' | 'tea' | 'ceramics' | 'books';

export const CATEGORIES: Record<Category, { en: string; vi: string; emoji: string }> = {
  coffee: { en: 'Coffee', vi: 'Cà phê', emoji: '☕' },
  tea: { en: 'Tea', vi: 'Trà', emoji: '🍵' },
  ceramics: { en: 'Ceramics', vi: 'Gốm sứ', emoji: '🏺' },
  books: { en: 'Books', vi: 'Sách', emoji: '📚' },
};

export const PRODUCTS: Product[] = [
  { id: 'robusta-dak-lak', category: 'coffee', price: 185000, emoji: '☕', name: { en: 'Đắk Lắk Robusta beans 500 g', vi: 'Cà phê Robusta Đắk Lắk 500 g' }, blurb: { en: 'Bold, chocolatey, made for phin and condensed milk.', vi: 'Đậm, vị sô-cô-la, hợp pha phin với sữa đặc.' } },
  { id: 'arabica-cau-dat', category: 'coffee', price: 260000, emoji: '🫘', name: { en: 'Cầu Đất Arabica 250 g', vi: 'Arabica Cầu Đất 250 g' }, blurb: { en: 'Bright and floral, from the Đà Lạt highlands.', vi: 'Chua thanh, hương hoa, từ cao nguyên Đà Lạt.' } },
  { id: 'phin-filter', category: 'coffee', price: 95000, emoji: '🥤', name: { en: 'Stainless phin filter', vi: 'Phin inox' }, blurb: { en: 'The classic Vietnamese drip filter.', vi: 'Phin pha cà phê truyền thống.' } },
  { id: 'weasel-blend', category: 'coffee', price: 420000, emoji: '✨', name: { en: 'Highland reserve blend 250 g', vi: 'Cà phê tuyển chọn 250 g' }, blurb: { en: 'Small-lot beans, roasted to order.', vi: 'Hạt chọn lọc, rang theo đơn.' } },
  { id: 'thai-nguyen-green', category: 'tea', price: 150000, emoji: '🍵', name: { en: 'Thái Nguyên green tea 200 g', vi: 'Trà xanh Thái Nguyên 200 g' }, blurb: { en: 'Hand-rolled, sweet aftertaste.', vi: 'Sao tay, hậu ngọt.' } },
  { id: 'lotus-tea', category: 'tea', price: 320000, emoji: '🪷', name: { en: 'West Lake lotus tea 100 g', vi: 'Trà sen Tây Hồ 100 g' }, blurb: { en: 'Scented overnight in lotus flowers.', vi: 'Ướp trong hoa sen qua đêm.' } },
  { id: 'shan-tuyet', category: 'tea', price: 280000, emoji: '🌿', name: { en: 'Shan Tuyết ancient tree tea', vi: 'Trà Shan Tuyết cổ thụ' }, blurb: { en: 'From centuries-old trees in Hà Giang.', vi: 'Từ cây chè cổ thụ Hà Giang.' } },
  { id: 'bat-trang-cup', category: 'ceramics', price: 120000, emoji: '🍶', name: { en: 'Bát Tràng tea cup set', vi: 'Bộ chén Bát Tràng' }, blurb: { en: 'Glazed by hand in the famous pottery village.', vi: 'Men tráng tay tại làng gốm Bát Tràng.' } },
  { id: 'celadon-pot', category: 'ceramics', price: 450000, emoji: '🫖', name: { en: 'Celadon teapot', vi: 'Ấm men ngọc' }, blurb: { en: 'Jade-green glaze, 600 ml.', vi: 'Men ngọc xanh, 600 ml.' } },
  { id: 'coffee-book', category: 'books', price: 210000, emoji: '📖', name: { en: 'The Vietnamese Coffee Book', vi: 'Sách Cà phê Việt' }, blurb: { en: 'Recipes from egg coffee to coconut coffee.', vi: 'Công thức từ cà phê trứng đến cà phê cốt dừa.' } },
  { id: 'tea-road', category: 'books', price: 180000, emoji: '🗺️', name: { en: 'Along the Tea Road', vi: 'Trên con đường trà' }, blurb: { en: 'Travels through the tea hills of the north.', vi: 'Hành trình qua những đồi chè phía Bắc.' } },
];

export const productById = new Map(PRODUCTS.map((p) => [p.id, p]));

/** Demo accounts: log in with any of these ids (no password in the demo). */
export const DEMO_USERS = [
  { id: 'lan.nguyen', name: 'Nguyễn Thị Lan', email: 'lan@example.vn' },
  { id: 'minh.tran', name: 'Trần Văn Minh', email: 'minh@example.vn' },
  { id: 'an.pham', name: 'Phạm An', email: 'an@example.vn' },
];

/**
 * The shop's own promotion codes — the ones its offers in idic advertise (demo/offers.json).
 * idic shows a code; the shop's checkout decides what it is worth, as a real shop's would.
 * Returns the discount in VND for these cart lines, or null when the code is not the shop's.
 */
export function promoDiscount(code: string, lines: { product: Product; qty: number }[]): number | null {
  const total = lines.reduce((s, l) => s + l.product.price * l.qty, 0);
  switch (code.trim().toUpperCase()) {
    // 15 % off the two single-origin beans.
    case 'CAPHE15': return Math.round(lines.filter((l) => l.product.id === 'robusta-dak-lak' || l.product.id === 'arabica-cau-dat')
      .reduce((s, l) => s + l.product.price * l.qty, 0) * 0.15);
    // 10 % off the order once it holds a phin filter or a cup set.
    case 'BOSUUTAP10': return lines.some((l) => l.product.id === 'phin-filter' || l.product.id === 'bat-trang-cup') ? Math.round(total * 0.1) : 0;
    // 50,000 ₫ off the next order.
    case 'NHOBAN50': return Math.min(50_000, total);
    default: return null;
  }
}
