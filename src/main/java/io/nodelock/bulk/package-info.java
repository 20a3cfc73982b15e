/**
 * Bulk fulfillment: a customer's CSV or JSON of up to 10,000 rows (UDI, SKU) against one of its PAKs, run by
 * bpmn/bulk-fulfillment.bpmn in batches, each row fulfilled or refused on its own; one archive of license files, one
 * per device, and a CSV of every row's outcome (docs/bulk-fulfillment.md).
 */
package io.nodelock.bulk;
