/**
 * The end-user license agreement: its versions (texts from the catalogue, with the SHA-256 of each), the check that
 * a request accepts the current one, and the record of every explicit acceptance (who, when, from where, for what),
 * made in the transaction of what it was given for. Used by every flow that needs consent: evaluations, fulfillments
 * of SKUs that require it, and extensions.
 */
package io.nodelock.eula;
