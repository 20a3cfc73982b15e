/** Runs the BPMN models' external tasks inside this JVM: fetch, lock, hand to a capability, complete or fail in one transaction. */
package io.nodelock.workflow;
