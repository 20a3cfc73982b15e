package io.nodelock.workflow;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The doorbell between code that creates external tasks on this node and the worker that fetches them: ringing it
 * after commit turns a poll interval of latency into none.
 */
@Component
public class NewWork {

    private final Object monitor = new Object();
    private final AtomicInteger rings = new AtomicInteger();

    /** Rings once the surrounding transaction commits (at once when there is none). */
    public void afterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    ring();
                }
            });
        } else {
            ring();
        }
    }

    public void ring() {
        rings.incrementAndGet();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** Clears the rings seen so far; work committed after this call is signalled to the next {@link #await}. */
    void reset() {
        rings.set(0);
    }

    /** Waits up to {@code millis} unless a ring came since the last reset. */
    void await(long millis) throws InterruptedException {
        synchronized (monitor) {
            if (rings.get() == 0) {
                monitor.wait(millis);
            }
        }
    }
}
