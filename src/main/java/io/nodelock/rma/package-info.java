/** RMA license transfer: a failed device's licenses reissued for its replacement, with the failed device locked and TAC review where policy asks for it. */
package io.nodelock.rma;
