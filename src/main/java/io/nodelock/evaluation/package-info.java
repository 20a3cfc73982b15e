/**
 * Self-serve evaluation licenses: a customer asks, without a PAK, for a temporary license of a feature the catalogue
 * offers for evaluation on a device the account holds; it is granted once per feature per device, with the EULA
 * accepted, in one quick synchronous request (docs/evaluation.md).
 */
package io.nodelock.evaluation;
