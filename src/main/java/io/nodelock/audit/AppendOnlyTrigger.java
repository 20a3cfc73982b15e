package io.nodelock.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.h2.api.Trigger;

/**
 * H2's form of the PostgreSQL trigger in {@code db/vendor/postgresql/V19_1__audit_append_only.sql}: the audit trail
 * and its checkpoints refuse UPDATE and DELETE, except the one-time chaining of an entry written before V19 (its
 * {@code entry_hash} null, nothing but the chain columns changing). H2 creates one instance per trigger and table.
 */
public class AppendOnlyTrigger implements Trigger {

    private String table;
    private final Map<String, Integer> columns = new HashMap<>();

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        this.table = tableName;
        try (PreparedStatement query = conn.prepareStatement("select column_name, ordinal_position from information_schema.columns "
                + "where table_schema = ? and table_name = ?")) {
            query.setString(1, schemaName);
            query.setString(2, tableName);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getInt(2) - 1);
                }
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (oldRow != null && newRow != null && "AUDIT_EVENT".equalsIgnoreCase(table) && chainsLegacyEntry(oldRow, newRow)) {
            return;
        }
        throw new SQLException("audit trail is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " on "
                + table.toLowerCase(java.util.Locale.ROOT) + " refused", "23000");
    }

    private boolean chainsLegacyEntry(Object[] oldRow, Object[] newRow) {
        if (value(oldRow, "entry_hash") != null || value(newRow, "entry_hash") == null) {
            return false;
        }
        for (String content : new String[] {"id", "occurred_at", "actor", "action", "subject", "detail"}) {
            if (!Objects.equals(value(oldRow, content), value(newRow, content))) {
                return false;
            }
        }
        return true;
    }

    private Object value(Object[] row, String column) {
        Integer index = columns.get(column);
        if (index == null) {
            throw new IllegalStateException("audit trigger: no column " + column + " on " + table);
        }
        return row[index];
    }
}
