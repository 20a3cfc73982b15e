/** The thin external-task workers of the rma-license-transfer model. */
package io.nodelock.rma.worker;
