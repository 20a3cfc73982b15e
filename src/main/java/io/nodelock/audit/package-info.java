/** The audit trail: who did what to which PAK, fulfillment, license or mail, and when, for operators and support. */
package io.nodelock.audit;
