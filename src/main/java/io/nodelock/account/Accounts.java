package io.nodelock.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Accounts {

    private final JdbcTemplate jdbc;

    public Accounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Account> find(String id) {
        return jdbc.query("select * from account where id = ?", Accounts::map, id).stream().findFirst();
    }

    public boolean exists(String id) {
        return find(id).isPresent();
    }

    public void create(Account account) {
        jdbc.update("insert into account (id, display_name, email, roles, created_at) values (?, ?, ?, ?, ?)",
                account.id(), account.displayName(), account.email(),
                account.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(",")),
                Timestamp.from(account.createdAt()));
    }

    /** Whether an operator suspended the account (its tokens and people are refused meanwhile). */
    public boolean suspended(String id) {
        return !jdbc.queryForList("select id from account where id = ? and suspended_at is not null", String.class, id).isEmpty();
    }

    public List<Account> all() {
        return jdbc.query("select * from account order by id", Accounts::map);
    }

    static Account map(ResultSet rs, int row) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(rs.getString("roles").split(",")).filter(s -> !s.isBlank()).map(Role::valueOf).forEach(roles::add);
        return new Account(rs.getString("id"), rs.getString("display_name"), rs.getString("email"), roles,
                rs.getTimestamp("created_at").toInstant());
    }
}
