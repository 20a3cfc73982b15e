package io.nodelock.workflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code status in (...)} condition of a guarded status change, built from the statuses the status enum says the
 * target is reached from: the transition table lives in the enum alone, and the database applies it atomically, so
 * of two concurrent changes one wins and the other learns it lost.
 */
public final class StatusGuard {

    private StatusGuard() {
    }

    /** {@code "status in (?, ?)"} with one placeholder per status. */
    public static String statusIn(Set<? extends Enum<?>> statuses) {
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("no status to move from");
        }
        return "status in (" + String.join(", ", Collections.nCopies(statuses.size(), "?")) + ")";
    }

    /** The statement's other parameters followed by the statuses' names, in the order {@link #statusIn} binds them. */
    public static Object[] args(Set<? extends Enum<?>> statuses, Object... leading) {
        List<Object> all = new ArrayList<>(Arrays.asList(leading));
        Set<String> names = new TreeSet<>();
        statuses.forEach(s -> names.add(s.name()));
        all.addAll(names);
        return all.toArray();
    }
}
