package org.mailwarden.store;

import java.time.Duration;

/**
 * Named leases that hold across the processes and nodes sharing a store: the POP3 maildrop lock, queue
 * claims. A lease expires on its own after {@code ttl} unless renewed, so a crashed holder never keeps
 * a lock for ever.
 */
public interface Locks {

    /** Takes the lease when it is free or expired; false when someone else holds it. */
    boolean tryAcquire(String name, String holder, Duration ttl);

    /** Extends a lease this holder has; false when it was lost. */
    boolean renew(String name, String holder, Duration ttl);

    void release(String name, String holder);
}
