/** The flow kit: flow declarations, the binding of models' service tasks to @Step methods, the chaining job executor, and the one refusal type. */
package io.nodelock.workflow;
