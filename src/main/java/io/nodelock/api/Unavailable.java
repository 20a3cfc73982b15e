package io.nodelock.api;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises a database that is down, frozen or overloaded, wherever it surfaces: Spring wraps it in its
 * DataAccessExceptions, the engine in ProcessEngineExceptions, MyBatis in PersistenceExceptions, so the whole cause
 * chain is searched. Such failures are the service's, not the caller's, and pass: 503 with Retry-After, not 500.
 */
public final class Unavailable {

    private Unavailable() {
    }

    public static boolean isDatabaseUnavailable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes of an unreachable or overloaded server: 08 connection exception, 53 insufficient resources,
     * 57014 query cancelled (statement timeout), 57P01-57P03 shutdown and "cannot connect now".
     */
    private static boolean isUnavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.equals("57014")
                || state.startsWith("57P"));
    }
}
