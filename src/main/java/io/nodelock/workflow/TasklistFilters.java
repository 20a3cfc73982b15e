package io.nodelock.workflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.operaton.bpm.engine.AuthorizationService;
import org.operaton.bpm.engine.FilterService;
import org.operaton.bpm.engine.TaskService;
import org.operaton.bpm.engine.authorization.Authorization;
import org.operaton.bpm.engine.authorization.Permissions;
import org.operaton.bpm.engine.authorization.Resources;
import org.operaton.bpm.engine.filter.Filter;
import org.operaton.bpm.engine.task.TaskQuery;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The Tasklist filters of the TAC groups, created (or brought up to date) on every start: each group's tasks, those
 * past their due date, and for the TAC leads the approvals that escalated to them (an approval task left open past
 * {@code nodelock.extension.escalate-after} is renamed "OVERDUE ..." and offered to the leads). Each filter is readable
 * by its group; the engine's own "All tasks" filter stays.
 */
@Component
class TasklistFilters {

    static final String APPROVERS = "tac-approvers";
    static final String LEADS = "tac-leads";
    /** The prefix ExtensionApprovals gives an escalated approval task's name. */
    static final String ESCALATED_PREFIX = "OVERDUE ";

    /** A filter: its name, group, place in Tasklist's list and query. */
    record Definition(String name, String group, int priority, String description, TaskQuery query) {
    }

    private final FilterService filters;
    private final TaskService tasks;
    private final AuthorizationService authorizations;

    TasklistFilters(FilterService filters, TaskService tasks, AuthorizationService authorizations) {
        this.filters = filters;
        this.tasks = tasks;
        this.authorizations = authorizations;
    }

    List<Definition> definitions() {
        return List.of(
                new Definition("TAC approvers: my group's tasks", APPROVERS, 10, "Tasks offered to tac-approvers, soonest due first",
                        groupTasks(APPROVERS)),
                new Definition("TAC approvers: overdue", APPROVERS, 11, "Tasks of tac-approvers past their due date",
                        groupTasks(APPROVERS).dueBeforeExpression("${now()}")),
                new Definition("TAC leads: my group's tasks", LEADS, 20, "Tasks offered to tac-leads: second approvals and escalations",
                        groupTasks(LEADS)),
                new Definition("TAC leads: overdue", LEADS, 21, "Tasks of tac-leads past their due date",
                        groupTasks(LEADS).dueBeforeExpression("${now()}")),
                new Definition("TAC leads: escalated", LEADS, 22, "Approvals left open past their service level, offered to tac-leads",
                        groupTasks(LEADS).taskNameLike(ESCALATED_PREFIX + "%")));
    }

    private TaskQuery groupTasks(String group) {
        return tasks.createTaskQuery().taskCandidateGroup(group).includeAssignedTasks().orderByDueDate().asc();
    }

    // After EngineIdentity (highest precedence) has made the groups.
    @EventListener(ApplicationReadyEvent.class)
    public void ensure() {
        for (Definition definition : definitions()) {
            Filter filter = filters.createFilterQuery().filterName(definition.name()).singleResult();
            if (filter == null) {
                filter = filters.newTaskFilter(definition.name());
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("description", definition.description());
            properties.put("priority", definition.priority());
            properties.put("refresh", true);
            filter.setProperties(properties);
            filter.setQuery(definition.query());
            filters.saveFilter(filter);
            String id = filter.getId();
            if (authorizations.createAuthorizationQuery().resourceType(Resources.FILTER).resourceId(id).groupIdIn(definition.group()).count() == 0) {
                Authorization read = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
                read.setGroupId(definition.group());
                read.setResource(Resources.FILTER);
                read.setResourceId(id);
                read.addPermission(Permissions.READ);
                authorizations.saveAuthorization(read);
            }
        }
    }
}
