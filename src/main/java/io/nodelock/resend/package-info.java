/** License resend: every active license of a device, sent again as a fresh file to the account's registered address, within a per-day limit. */
package io.nodelock.resend;
