/** The names bpmn/bulk-fulfillment.bpmn and the Java side share, and the flow's declaration bean. */
package io.nodelock.bulk.process;
