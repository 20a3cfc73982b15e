package io.nodelock.inventory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** A WHERE clause built from the filters that were given, with its arguments in order. */
final class Sql {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    Sql and(String condition, Object... values) {
        conditions.add(condition);
        Collections.addAll(args, values);
        return this;
    }

    /** {@code column = ?} when the value was given. */
    Sql eq(String column, Object value) {
        return value == null ? this : and(column + " = ?", value);
    }

    /** {@code column in (...)} when values were given. */
    Sql in(String column, Collection<String> values) {
        if (values == null || values.isEmpty()) {
            return this;
        }
        conditions.add(column + " in (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")");
        args.addAll(values);
        return this;
    }

    /** {@code column like 'prefix%'}, the prefix taken literally. */
    Sql prefix(String column, String prefix) {
        return prefix == null ? this : and(column + " like ? escape '\\'", likePrefix(prefix));
    }

    /** {@code from <= column < to}, each bound when given. */
    Sql between(String column, Instant from, Instant to) {
        if (from != null) {
            and(column + " >= ?", Timestamp.from(from));
        }
        if (to != null) {
            and(column + " < ?", Timestamp.from(to));
        }
        return this;
    }

    /** Rows after the cursor in the newest-first order of (at, id). */
    Sql after(String atColumn, String idColumn, Keyset cursor, Object id) {
        return cursor == null ? this : and("(" + atColumn + ", " + idColumn + ") < (?, ?)", Timestamp.from(cursor.at()), id);
    }

    String where() {
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    Object[] args() {
        return args.toArray();
    }

    List<Object> argList() {
        return args;
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
