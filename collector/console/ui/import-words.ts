/**
 * Import row errors (services/orders-import-parse.ts, identity-import-parse.ts, identity-import.ts)
 * in the console's language. Column names stay as the file has them: they are what to fix.
 */
import { inReaderLanguage, type Phrasebook } from './translate.ts';

const ROW_ERRORS_VI: Phrasebook = [
  [/^expected (\d+) columns, found (\d+)$/, (want, got) => `cần ${want} cột, dòng này có ${got}`],
  [/^(\w+) is empty$/, (col) => `${col} để trống`],
  [/^(\w+) is longer than (\d+) characters$/, (col, n) => `${col} dài quá ${n} ký tự`],
  [/^order_date (".*") is not a date \(YYYY-MM-DD, YYYYMMDD or ISO 8601 date-time\)$/s, (v) => `order_date ${v} không phải ngày (YYYY-MM-DD, YYYYMMDD hoặc ngày giờ ISO 8601)`],
  [/^order_date (.*) is in the future$/s, (v) => `order_date ${v} ở tương lai`],
  [/^order_date (.*) is before 1970$/s, (v) => `order_date ${v} trước năm 1970`],
  [/^amount (.*) is larger than (\S+)$/s, (v, max) => `amount ${v} lớn hơn ${max}`],
  [/^amount (".*") is not a number$/s, (v) => `amount ${v} không phải số`],
  [/^amount (.*) is negative \(refunds are not imported as orders\)$/s, (v) => `amount ${v} âm (hoàn tiền không nhập như đơn hàng)`],
  [/^quantity (".*") is not a positive number$/s, (v) => `quantity ${v} không phải số dương`],
  [/^currency (".*") is not an ISO 4217 code$/s, (v) => `currency ${v} không phải mã ISO 4217`],
  [/^currency (.*) differs from the shop's (.*); convert amounts before importing$/s, (v, shop) => `currency ${v} khác tiền tệ của cửa hàng (${shop}); hãy quy đổi số tiền trước khi nhập`],
  [/^(\w+): is required$/, (col) => `${col}: bắt buộc`],
  [/^(\w+): must be a string$/, (col) => `${col}: phải là chuỗi ký tự`],
  [/^(\w+): must be at most (\d+) characters$/, (col, n) => `${col}: tối đa ${n} ký tự`],
  [/^(\w+): must not be empty$/, (col) => `${col}: không được để trống`],
  [/^(\w+): must not contain (control characters|bidirectional override characters|unpaired surrogates)$/, (col, what) => `${col}: không được chứa ${{ 'control characters': 'ký tự điều khiển', 'bidirectional override characters': 'ký tự đảo chiều văn bản', 'unpaired surrogates': 'ký tự UTF-16 lẻ cặp' }[what]}`],
  [/^email: (".*") is not an email address$/s, (v) => `email: ${v} không phải địa chỉ e-mail`],
  [/^phone: (".*") is not a phone number$/s, (v) => `phone: ${v} không phải số điện thoại`],
  [/^traits: must be an object$/, () => 'traits: phải là một đối tượng JSON'],
  [/^column (".*"): names must be 1–100 printable characters$/s, (col) => `cột ${col}: tên cột phải có 1–100 ký tự in được`],
  [/^has more than (\d+) traits$/, (n) => `có hơn ${n} thuộc tính`],
  [/^traits are larger than (\d+) bytes$/, (n) => `thuộc tính lớn hơn ${n} byte`],
  [/^this (\w+) already belongs to another customer; kept with them \(merge the two with (.*) if they are one person\)$/s,
    (kind, how) => `${kind} này đã thuộc về khách khác và được giữ ở đó (nếu là cùng một người, gộp hai hồ sơ bằng ${how})`],
];

export const rowError = (reason: string): string => inReaderLanguage(ROW_ERRORS_VI, reason);
