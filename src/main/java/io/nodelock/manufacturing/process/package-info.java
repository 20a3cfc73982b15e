/** The names bpmn/manufacturing-preinstall.bpmn and the Java side share, and the flow's declaration bean. */
package io.nodelock.manufacturing.process;
