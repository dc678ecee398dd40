/**
 * Crawler and bot traffic is stored (so nothing acknowledged is lost) but kept out of scoring.
 * Headless Chrome is NOT a bot here: shops test with it, and real bots announce themselves.
 * "bot" after "cu" is Cubot, a phone brand whose model names reach in-app browsers' agents.
 */
const BOT = /(?<!cu)bot\b|bot\/|crawl|spider|slurp|mediapartners|facebookexternalhit|bingpreview|embedly|quora link|whatsapp|curl\/|wget\/|python-requests|go-http-client|httpclient|java\/|okhttp|scrapy|phantomjs|lighthouse|pingdom|uptimerobot|ahrefs|semrush|yandex|baiduspider|petalbot|applebot|gptbot|ccbot|claudebot|bytespider|google-inspectiontool|googleother/i;

export function isBot(userAgent: string | undefined | null): boolean {
  return !!userAgent && BOT.test(userAgent);
}
