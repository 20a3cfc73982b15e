/** The thin external-task workers of the license-rehost model. */
package io.nodelock.rehost.worker;
