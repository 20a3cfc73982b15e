package io.nodelock.workflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The flows' metrics (their names and tags are documented in docs/operations.md, "Metrics", and the Grafana dashboard
 * in docs/grafana-dashboard.json is built on them):
 * <ul>
 *   <li>{@code nodelock.step} (timer; flow, topic, outcome {@code ok|refused|error}): every run of a step, with histogram
 *       buckets from 5 ms to 30 s. A step that a rolled-back chain repeats alone is counted per run.</li>
 *   <li>{@code nodelock.flow.refusals} (counter; flow, code): business refusals a step ended with.</li>
 *   <li>{@code nodelock.flow.started} (counter; flow) and {@code nodelock.flow.ended} (counter; flow, end, code): instances
 *       started, and ended at which end event ({@code cancelled} if deleted) with the rejection code ({@code none}).</li>
 *   <li>{@code nodelock.flow.duration} (timer; flow, end): from an instance's start to its end.</li>
 *   <li>{@code nodelock.incidents.open} (gauge; flow): open incidents, the steps that failed past their retries.</li>
 *   <li>{@code nodelock.tasks.open} and {@code nodelock.tasks.overdue} (gauges; group): user tasks offered to a
 *       candidate group, and those past their due date.</li>
 * </ul>
 * The gauges read the engine's tables at most once per {@link #SNAPSHOT_AGE}, however often they are scraped.
 */
@Component
public class FlowMetrics implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(FlowMetrics.class);

    /** Histogram buckets of step and flow latency: from a fast step to a flow that waited on a retry. */
    static final Duration[] STEP_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    static final Duration[] FLOW_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(8), Duration.ofDays(1)};
    static final Duration SNAPSHOT_AGE = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<FlowDeclaration> flows;
    private final Map<String, Timer> stepTimers = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(Instant.EPOCH, Map.of(), Map.of(), Map.of());

    private record Snapshot(Instant takenAt, Map<String, Long> incidentsByFlow, Map<String, Long> openByGroup, Map<String, Long> overdueByGroup) {
    }

    public FlowMetrics(MeterRegistry meters, JdbcTemplate jdbc, ObjectProvider<FlowDeclaration> flows) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.flows = flows;
    }

    /** Registers the gauges of every declared flow and candidate group, so each series exists from the start at 0. */
    @Override
    public void afterSingletonsInstantiated() {
        Set<String> keys = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        flows.orderedStream().forEach(flow -> {
            keys.add(flow.processKey());
            groups.addAll(flow.candidateGroups());
        });
        for (String key : keys) {
            gauge("nodelock.incidents.open", "flow", key, "Open incidents: steps that failed past their retries",
                    s -> s.incidentsByFlow().getOrDefault(key, 0L));
        }
        for (String group : groups) {
            gauge("nodelock.tasks.open", "group", group, "User tasks open for the candidate group", s -> s.openByGroup().getOrDefault(group, 0L));
            gauge("nodelock.tasks.overdue", "group", group, "Open user tasks past their due date",
                    s -> s.overdueByGroup().getOrDefault(group, 0L));
        }
    }

    private void gauge(String name, String tag, String value, String description, ToDoubleFunction<Snapshot> read) {
        Gauge.builder(name, this, metrics -> read.applyAsDouble(metrics.current())).tag(tag, value).description(description)
                .register(meters);
    }

    /** The timer of one step's runs with this outcome. */
    Timer stepTimer(String flow, String topic, String outcome) {
        return stepTimers.computeIfAbsent(flow + '\n' + topic + '\n' + outcome, k -> Timer.builder("nodelock.step")
                .description("Runs of a flow's step").tags("flow", flow, "topic", topic, "outcome", outcome)
                .serviceLevelObjectives(STEP_BUCKETS).register(meters));
    }

    void refused(String flow, String code) {
        Counter.builder("nodelock.flow.refusals").description("Business refusals a flow's step ended with")
                .tags("flow", flow, "code", code).register(meters).increment();
    }

    void started(String flow) {
        Counter.builder("nodelock.flow.started").description("Flow instances started").tag("flow", flow).register(meters).increment();
    }

    void ended(String flow, String end, String code, Duration took) {
        Counter.builder("nodelock.flow.ended").description("Flow instances ended, by end event and rejection code")
                .tags("flow", flow, "end", end, "code", code).register(meters).increment();
        if (took != null) {
            Timer.builder("nodelock.flow.duration").description("From a flow instance's start to its end").tags("flow", flow, "end", end)
                    .serviceLevelObjectives(FLOW_BUCKETS).register(meters).record(took);
        }
    }

    private Snapshot current() {
        Snapshot last = snapshot;
        if (Duration.between(last.takenAt(), Instant.now()).compareTo(SNAPSHOT_AGE) < 0) {
            return last;
        }
        synchronized (this) {
            if (snapshot != last) {
                return snapshot;
            }
            try {
                Map<String, Long> incidents = new ConcurrentHashMap<>();
                jdbc.query("select d.KEY_, count(*) from ACT_RU_INCIDENT i join ACT_RE_PROCDEF d on d.ID_ = i.PROC_DEF_ID_ group by d.KEY_",
                        rs -> {
                            incidents.put(rs.getString(1), rs.getLong(2));
                        });
                Map<String, Long> open = new ConcurrentHashMap<>();
                Map<String, Long> overdue = new ConcurrentHashMap<>();
                jdbc.query("select l.GROUP_ID_, count(*), sum(case when t.DUE_DATE_ < ? then 1 else 0 end) from ACT_RU_TASK t "
                        + "join ACT_RU_IDENTITYLINK l on l.TASK_ID_ = t.ID_ where l.TYPE_ = 'candidate' and l.GROUP_ID_ is not null "
                        + "group by l.GROUP_ID_", rs -> {
                            open.put(rs.getString(1), rs.getLong(2));
                            overdue.put(rs.getString(1), rs.getLong(3));
                        }, Timestamp.from(Instant.now()));
                snapshot = new Snapshot(Instant.now(), incidents, open, overdue);
            } catch (RuntimeException e) {
                // The database has its own health; the gauges keep their last values meanwhile.
                log.debug("Could not read the engine's incidents and tasks for the metrics", e);
                snapshot = new Snapshot(Instant.now(), last.incidentsByFlow(), last.openByGroup(), last.overdueByGroup());
            }
            return snapshot;
        }
    }

    /** The flow (process definition key) of a process definition id such as {@code pak-fulfillment:3:<uuid>}. */
    static String flowOf(String processDefinitionId) {
        if (processDefinitionId == null) {
            return "unknown";
        }
        int colon = processDefinitionId.indexOf(':');
        return colon < 0 ? processDefinitionId : processDefinitionId.substring(0, colon);
    }
}
