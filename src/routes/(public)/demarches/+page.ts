/**
 * The catalog is text and links: no JavaScript is sent, so the 41 requests are not shipped twice (as HTML and as
 * hydration data) and the page stays under the 60 KB budget on a slow line.
 */
export const csr = false;
