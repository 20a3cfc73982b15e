package io.nodelock.evaluation;

import io.nodelock.licensefile.Udi;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Evaluations {

    private final JdbcTemplate jdbc;

    public Evaluations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Evaluation> find(UUID id) {
        return jdbc.query("select * from evaluation where id = ?", Evaluations::map, id).stream().findFirst();
    }

    /** The evaluation of {@code feature} on the device, if it had one. */
    public Optional<Evaluation> find(Udi device, String feature) {
        return jdbc.query("select * from evaluation where udi = ? and feature = ?", Evaluations::map, device.binding(), feature)
                .stream().findFirst();
    }

    /** Every evaluation the device had, oldest first. */
    public List<Evaluation> ofDevice(Udi device) {
        return jdbc.query("select * from evaluation where udi = ? order by created_at, id", Evaluations::map, device.binding());
    }

    /**
     * Stores a granted evaluation. The second of a feature on a device fails on the unique constraint
     * {@code evaluation_once_per_device_feature} (a {@link org.springframework.dao.DuplicateKeyException}), also when
     * two requests race.
     */
    void insert(Evaluation e) {
        jdbc.update("insert into evaluation (id, account_id, udi, feature, usage_days, email, eula_consent_id, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)", e.id(), e.accountId(), e.udi().binding(), e.feature(), e.usageDays(),
                e.email(), e.eulaConsentId(), Timestamp.from(e.createdAt()));
    }

    private static Evaluation map(ResultSet rs, int row) throws SQLException {
        return new Evaluation(rs.getObject("id", UUID.class), rs.getString("account_id"), Udi.parse(rs.getString("udi")),
                rs.getString("feature"), rs.getInt("usage_days"), rs.getString("email"),
                rs.getObject("eula_consent_id", UUID.class), rs.getTimestamp("created_at").toInstant());
    }
}
