/** Static text: no JavaScript is sent (the page stays light; the app's worker is registered by the other pages). */
export const csr = false;
