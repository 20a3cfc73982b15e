/** The names bpmn/license-migration.bpmn and forms/license-migration.form share with the Java side. */
package io.nodelock.migration.process;
