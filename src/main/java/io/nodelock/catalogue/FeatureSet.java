package io.nodelock.catalogue;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named hierarchy of universal-image feature-set levels, lowest first
 * (e.g. {@code universal-k9: [ipbase, ipservices, advipservices, adventerprise]}).
 * A higher level includes every feature of the lower ones.
 */
public record FeatureSet(String name, List<String> levels) {
    public FeatureSet {
        Objects.requireNonNull(name, "name");
        levels = List.copyOf(levels);
    }

    /** True if {@code level} is one of this set's levels. */
    public boolean hasLevel(String level) {
        return levels.contains(level);
    }

    /** Zero-based rank of the level (0 = lowest), or -1 if it is not a level of this set. */
    public int rank(String level) {
        return levels.indexOf(level);
    }

    /** The level and every lower level, lowest first; empty if {@code level} is not in this set. */
    public Set<String> effectiveFeatures(String level) {
        int rank = rank(level);
        if (rank < 0) {
            return Set.of();
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(levels.subList(0, rank + 1)));
    }

    /** True if both are levels of this set and {@code higher} is at or above {@code lower}. */
    public boolean includes(String higher, String lower) {
        int h = rank(higher);
        int l = rank(lower);
        return h >= 0 && l >= 0 && h >= l;
    }
}
