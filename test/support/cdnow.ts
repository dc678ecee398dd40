/**
 * The CDNOW sample (2,357 customers, 1997–98 orders; Fader & Hardie's published data set), kept in
 * the repository beside the demo that also uses it, so tests never depend on files outside the clone.
 */
export const CDNOW_SAMPLE = new URL('../../demo/data/cdnow_sample_orders.csv', import.meta.url).pathname;
