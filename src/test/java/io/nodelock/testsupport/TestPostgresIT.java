package io.nodelock.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class TestPostgresIT {

    @Test
    void createsIsolatedDatabasesOnARealPostgres() throws SQLException {
        TestPostgres pg = TestPostgres.instance();
        assertSame(pg, TestPostgres.instance(), "one server per JVM");

        String first = pg.createDatabase("it_first");
        String second = pg.createDatabase("it_second");
        assertNotEquals(first, second);

        try (Connection a = DriverManager.getConnection(first, pg.username(), pg.password());
                Connection b = DriverManager.getConnection(second, pg.username(), pg.password())) {
            assertTrue(queryString(a, "select version()").startsWith("PostgreSQL"));
            assertTrue(queryString(b, "select version()").startsWith("PostgreSQL"));

            String nameA = queryString(a, "select current_database()");
            String nameB = queryString(b, "select current_database()");
            assertTrue(nameA.startsWith("it_first_"), nameA);
            assertTrue(nameB.startsWith("it_second_"), nameB);
            assertNotEquals(nameA, nameB);

            try (Statement s = a.createStatement()) {
                s.execute("create table only_in_first (id int primary key)");
                s.execute("insert into only_in_first values (1)");
            }
            assertEquals("1", queryString(a, "select count(*) from only_in_first"));
            assertFalse(tableExists(b, "only_in_first"), "table must not leak into the other database");
            assertTrue(tableExists(a, "only_in_first"));
        }
    }

    @Test
    void sanitisesPrefixes() throws SQLException {
        TestPostgres pg = TestPostgres.instance();
        String url = pg.createDatabase("My-Context.Name/with spaces and a very long tail that exceeds the limit");
        try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password())) {
            String name = queryString(c, "select current_database()");
            assertTrue(name.matches("[a-z0-9_]{1,63}"), name);
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, "public", table, null)) {
            return rs.next();
        }
    }
}
