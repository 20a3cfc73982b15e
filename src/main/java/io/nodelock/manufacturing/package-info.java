/**
 * Manufacturing orders: many certified devices for one account, each with its preinstalled licenses, made in batches by
 * bpmn/manufacturing-preinstall.bpmn; one encrypted bundle per device and a factory archive (docs/manufacturing.md).
 */
package io.nodelock.manufacturing;
