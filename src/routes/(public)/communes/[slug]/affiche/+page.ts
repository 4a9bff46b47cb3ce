/** A poster is printed, not used: no JavaScript is sent. */
export const csr = false;
