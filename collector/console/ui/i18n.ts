/** Console strings in English and Vietnamese. The choice is kept in localStorage. */

const EN = {
  overview: 'Overview', offers: 'Offers', customers: 'Customers', experiments: 'Experiments', data: 'Data', settings: 'Settings',
  signIn: 'Sign in', signOut: 'Sign out', email: 'E-mail', password: 'Password', setupTitle: 'Create the owner account',
  setupHelp: 'No account exists yet. The first account is the owner; this page closes once it is created.', create: 'Create',
  site: 'Site', language: 'Language', loading: 'Loading…', error: 'Something went wrong',
  visitors: 'Visitors', identified: 'Identified customers', eventsToday: 'Events today', conversion: 'Conversion (buyers / visitors)',
  pyramid: 'Value pyramid', pyramidHelp: 'Customers and share of total customer lifetime value (CLV) per value tier.',
  tier: 'Tier', count: 'Customers', valueShare: 'Share of value', lastWeek: 'Since last week', noSnapshot: 'No snapshot from last week yet: tiers are recorded daily.',
  tierNames: 'MVC most valuable · MGC most growable · LMC low-maintenance · BZ below zero · Migrator value falling',
  newOffer: 'New offer', name: 'Name', status: 'Status', kind: 'Kind', placements: 'Placements', impressions: 'Impressions', clicks: 'Clicks',
  conversions: 'Conversions', decisions: 'Decisions', ctr: 'Click rate', edit: 'Edit', save: 'Save', saved: 'Saved', version: 'Version',
  activate: 'Activate', pause: 'Pause', archive: 'Archive', restore: 'Back to draft', history: 'Version history', by: 'by',
  content: 'Content', title: 'Title', body: 'Text', cta: 'Button', link: 'Link', image: 'Image URL', code: 'Discount code', locale: 'Locale',
  targeting: 'Targeting', tiers: 'Value tiers', needs: 'Needs labels (comma separated)', affinity: 'Category affinity', minAffinity: 'minimum (0–1)',
  pages: 'Pages (comma separated, * matches anything)', schedule: 'Schedule', start: 'Start', end: 'End', caps: 'Frequency caps',
  perSession: 'per session', perDay: 'per day', perWeek: 'per week', stopConv: 'Stop after conversion', stopDismiss: 'Stop after dismissal',
  holdout: 'Holdout share', priority: 'Priority', cost: 'Cost', expectedValue: 'Expected margin', budget: 'Redemption budget',
  preview: 'Live preview', sample: 'Sample customer (any id)', check: 'Check targeting', matches: 'Matches targeting', noMatch: 'Does not match',
  readOnly: 'Your role can read but not change offers.', invalid: 'Fix the highlighted fields', id: 'Id',
  search: 'Search by any id, e-mail or external key', find: 'Find', noResults: 'No customer found', identities: 'Identity graph',
  value: 'Value', clv: 'CLV', pAlive: 'P(alive)', expected: 'Expected purchases', reasons: 'Why this tier', affinities: 'Affinities',
  stage: 'Stage', offersSeen: 'Offers seen', outcome: 'Outcome', timeline: 'Timeline', more: 'Older events', exportJson: 'Export JSON',
  erase: 'Erase customer', eraseConfirm: 'Erase every trace of this customer? This cannot be undone.', orders: 'Orders', loyalty: 'Loyalty',
  treated: 'Treated', holdoutGroup: 'Holdout', convRate: 'Conversion rate', revPer: 'Revenue per customer', uplift: 'Uplift', ci: '95 % interval',
  noExperiments: 'No decisions yet in this period.', all: 'all tiers', none: 'no tier',
  importCustomers: 'Import customers (CSV)', importOrders: 'Import orders (CSV)', columnsC: 'Columns: customer_id, email, name, phone',
  columnsO: 'Columns: customer_id, order_date, amount; optional order_id, category, currency', rowsDone: 'rows processed', accepted: 'accepted',
  rowErrors: 'Rows with errors', line: 'Line', model: 'Model fit', notFitted: 'Not fitted yet.', fittedAt: 'Fitted at', params: 'Parameters',
  origins: 'Allowed origins (one per line)', writeKey: 'Write key (public)', secretKey: 'Secret key (identity verification, admin API)',
  rotate: 'Rotate', rotated: 'New key — copy it now:', grace: 'The old key keeps working until', consentMode: 'Consent mode',
  verifyIdentity: 'Require verified identity (HMAC userHash)', gpc: 'Honour Global Privacy Control', thresholds: 'Tier thresholds',
  mvcTop: 'MVC: top share by CLV', mgcGap: 'MGC: potential ÷ CLV at least', migratorDrop: 'Migrator: P(alive) below', loyaltyRules: 'Loyalty rules',
  loyaltyMissing: 'The loyalty module is not installed in this build.', users: 'Accounts', role: 'Role', addUser: 'Add account', retiring: 'Retiring keys',
  needsShort: 'Needs', ofTotal: 'of total value', customersAxis: 'customers', shareAxis: 'share of value (%)', rateAxis: 'conversion rate (%)',
};
export type Key = keyof typeof EN;

const VI: Record<Key, string> = {
  overview: 'Tổng quan', offers: 'Ưu đãi', customers: 'Khách hàng', experiments: 'Thử nghiệm', data: 'Dữ liệu', settings: 'Cài đặt',
  signIn: 'Đăng nhập', signOut: 'Đăng xuất', email: 'E-mail', password: 'Mật khẩu', setupTitle: 'Tạo tài khoản chủ sở hữu',
  setupHelp: 'Chưa có tài khoản nào. Tài khoản đầu tiên là chủ sở hữu; trang này đóng lại sau khi tạo.', create: 'Tạo',
  site: 'Cửa hàng', language: 'Ngôn ngữ', loading: 'Đang tải…', error: 'Đã có lỗi',
  visitors: 'Khách truy cập', identified: 'Khách đã nhận diện', eventsToday: 'Sự kiện hôm nay', conversion: 'Chuyển đổi (người mua / khách)',
  pyramid: 'Tháp giá trị', pyramidHelp: 'Số khách và tỷ trọng giá trị vòng đời (CLV) theo từng nhóm giá trị.',
  tier: 'Nhóm', count: 'Khách hàng', valueShare: 'Tỷ trọng giá trị', lastWeek: 'So với tuần trước', noSnapshot: 'Chưa có số liệu tuần trước: các nhóm được ghi lại hằng ngày.',
  tierNames: 'MVC giá trị nhất · MGC tiềm năng nhất · LMC ít chăm sóc · BZ dưới không · Migrator đang giảm',
  newOffer: 'Ưu đãi mới', name: 'Tên', status: 'Trạng thái', kind: 'Loại', placements: 'Vị trí', impressions: 'Lượt hiển thị', clicks: 'Lượt nhấp',
  conversions: 'Chuyển đổi', decisions: 'Quyết định', ctr: 'Tỷ lệ nhấp', edit: 'Sửa', save: 'Lưu', saved: 'Đã lưu', version: 'Phiên bản',
  activate: 'Kích hoạt', pause: 'Tạm dừng', archive: 'Lưu trữ', restore: 'Về bản nháp', history: 'Lịch sử phiên bản', by: 'bởi',
  content: 'Nội dung', title: 'Tiêu đề', body: 'Mô tả', cta: 'Nút', link: 'Liên kết', image: 'URL hình ảnh', code: 'Mã giảm giá', locale: 'Ngôn ngữ',
  targeting: 'Nhắm mục tiêu', tiers: 'Nhóm giá trị', needs: 'Nhãn nhu cầu (cách nhau bằng dấu phẩy)', affinity: 'Mức quan tâm danh mục', minAffinity: 'tối thiểu (0–1)',
  pages: 'Trang (dấu phẩy, * khớp mọi thứ)', schedule: 'Lịch', start: 'Bắt đầu', end: 'Kết thúc', caps: 'Giới hạn tần suất',
  perSession: 'mỗi phiên', perDay: 'mỗi ngày', perWeek: 'mỗi tuần', stopConv: 'Dừng sau khi chuyển đổi', stopDismiss: 'Dừng sau khi đóng',
  holdout: 'Tỷ lệ nhóm đối chứng', priority: 'Ưu tiên', cost: 'Chi phí', expectedValue: 'Lợi nhuận kỳ vọng', budget: 'Ngân sách lượt dùng',
  preview: 'Xem trước trực tiếp', sample: 'Khách mẫu (mã bất kỳ)', check: 'Kiểm tra nhắm mục tiêu', matches: 'Khớp điều kiện', noMatch: 'Không khớp',
  readOnly: 'Vai trò của bạn chỉ được xem, không được sửa ưu đãi.', invalid: 'Hãy sửa các ô được đánh dấu', id: 'Mã',
  search: 'Tìm theo mã, e-mail hoặc khoá ngoài', find: 'Tìm', noResults: 'Không tìm thấy khách hàng', identities: 'Đồ thị danh tính',
  value: 'Giá trị', clv: 'CLV', pAlive: 'P(còn mua)', expected: 'Số lần mua dự kiến', reasons: 'Vì sao thuộc nhóm này', affinities: 'Mức quan tâm',
  stage: 'Giai đoạn', offersSeen: 'Ưu đãi đã xem', outcome: 'Kết quả', timeline: 'Dòng thời gian', more: 'Sự kiện cũ hơn', exportJson: 'Xuất JSON',
  erase: 'Xoá khách hàng', eraseConfirm: 'Xoá mọi dữ liệu của khách hàng này? Không thể hoàn tác.', orders: 'Đơn hàng', loyalty: 'Khách hàng thân thiết',
  treated: 'Nhóm nhận', holdoutGroup: 'Đối chứng', convRate: 'Tỷ lệ chuyển đổi', revPer: 'Doanh thu mỗi khách', uplift: 'Mức tăng', ci: 'Khoảng tin cậy 95 %',
  noExperiments: 'Chưa có quyết định nào trong khoảng này.', all: 'mọi nhóm', none: 'chưa có nhóm',
  importCustomers: 'Nhập khách hàng (CSV)', importOrders: 'Nhập đơn hàng (CSV)', columnsC: 'Cột: customer_id, email, name, phone',
  columnsO: 'Cột: customer_id, order_date, amount; tuỳ chọn order_id, category, currency', rowsDone: 'dòng đã xử lý', accepted: 'đã nhận',
  rowErrors: 'Dòng bị lỗi', line: 'Dòng', model: 'Mô hình', notFitted: 'Chưa khớp mô hình.', fittedAt: 'Khớp lúc', params: 'Tham số',
  origins: 'Nguồn được phép (mỗi dòng một)', writeKey: 'Khoá ghi (công khai)', secretKey: 'Khoá bí mật (xác thực danh tính, API quản trị)',
  rotate: 'Đổi khoá', rotated: 'Khoá mới — hãy sao chép ngay:', grace: 'Khoá cũ vẫn dùng được đến', consentMode: 'Chế độ đồng ý',
  verifyIdentity: 'Yêu cầu danh tính đã xác thực (HMAC userHash)', gpc: 'Tôn trọng Global Privacy Control', thresholds: 'Ngưỡng phân nhóm',
  mvcTop: 'MVC: tỷ lệ đầu theo CLV', mgcGap: 'MGC: tiềm năng ÷ CLV tối thiểu', migratorDrop: 'Migrator: P(còn mua) dưới', loyaltyRules: 'Quy tắc thân thiết',
  loyaltyMissing: 'Bản này chưa có mô-đun khách hàng thân thiết.', users: 'Tài khoản', role: 'Vai trò', addUser: 'Thêm tài khoản', retiring: 'Khoá sắp hết hạn',
  needsShort: 'Nhu cầu', ofTotal: 'tổng giá trị', customersAxis: 'khách hàng', shareAxis: 'tỷ trọng giá trị (%)', rateAxis: 'tỷ lệ chuyển đổi (%)',
};

let current: 'en' | 'vi' = (() => {
  try {
    const s = localStorage.getItem('idic-console-lang');
    if (s === 'en' || s === 'vi') return s;
  } catch {}
  return navigator.language.startsWith('vi') ? 'vi' : 'en';
})();

export const lang = () => current;
export function setLang(l: 'en' | 'vi') {
  current = l;
  document.documentElement.lang = l;
  try { localStorage.setItem('idic-console-lang', l); } catch {}
}
export const t = (k: Key): string => (current === 'vi' ? VI : EN)[k];
