/** The names bpmn/license-rehost.bpmn, its start form and the Java side share. */
package io.nodelock.rehost.process;
