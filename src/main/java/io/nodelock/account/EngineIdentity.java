package io.nodelock.account;

import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import org.operaton.bpm.engine.AuthorizationService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.authorization.Authorization;
import org.operaton.bpm.engine.authorization.Permission;
import org.operaton.bpm.engine.authorization.Permissions;
import org.operaton.bpm.engine.authorization.Resource;
import org.operaton.bpm.engine.authorization.Resources;
import org.operaton.bpm.engine.identity.Group;
import org.operaton.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Keeps the engine's groups and their authorizations in line with Nodelock's staff roles. Engine authorizations are
 * on, so without these grants TAC approvers would see no tasks and operators no processes.
 */
@Component
public class EngineIdentity {

    private static final Logger log = LoggerFactory.getLogger(EngineIdentity.class);
    static final String FORMER_CUSTOMER_GROUP = "nodelock-customers";

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final EngineAdminProperties adminProperties;
    private final List<FlowDeclaration> flows;

    public EngineIdentity(IdentityService identity, AuthorizationService authorizations, EngineAdminProperties adminProperties,
                          List<FlowDeclaration> flows) {
        this.flows = flows;
        this.identity = identity;
        this.authorizations = authorizations;
        this.adminProperties = adminProperties;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void synchronize() {
        for (Role role : Role.values()) {
            if (role.engineGroup() != null) {
                ensureGroup(role.engineGroup(), role.displayName());
            }
        }
        // Admins may do everything, as in Operaton's own admin-user setup.
        for (Resource resource : Resources.values()) {
            grant(Role.ADMIN.engineGroup(), resource, "*", Permissions.ALL);
        }
        grant(Role.OPERATOR.engineGroup(), Resources.APPLICATION, "cockpit", Permissions.ACCESS);
        grant(Role.OPERATOR.engineGroup(), Resources.APPLICATION, "tasklist", Permissions.ACCESS);
        grant(Role.OPERATOR.engineGroup(), Resources.PROCESS_DEFINITION, "*", Permissions.READ, Permissions.READ_INSTANCE,
                Permissions.READ_HISTORY);
        grant(Role.OPERATOR.engineGroup(), Resources.PROCESS_INSTANCE, "*", Permissions.READ);
        grant(Role.OPERATOR.engineGroup(), Resources.DEPLOYMENT, "*", Permissions.READ);
        grant(Role.OPERATOR.engineGroup(), Resources.FILTER, "*", Permissions.READ);
        grant(Role.OPERATOR.engineGroup(), Resources.DECISION_DEFINITION, "*", Permissions.READ);
        grant(Role.OPERATOR.engineGroup(), Resources.TASK, "*", Permissions.READ);
        // No staff role but the administrators may start an instance: an engine start can begin at any activity
        // (startInstructions), past the steps that check and redeem. Customers hold no engine identity at all; they
        // come in through Nodelock's own intake, which starts the instances it has recorded.
        removeFormerCustomerGroup();
        for (Role tac : List.of(Role.TAC, Role.TAC_LEAD)) {
            grant(tac.engineGroup(), Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(tac.engineGroup(), Resources.FILTER, "*", Permissions.READ);
        }
        // A user task's candidate groups see the definition of its flow (Tasklist shows the task's process and form).
        for (FlowDeclaration flow : flows) {
            for (String group : flow.candidateGroups()) {
                ensureGroup(group, group);
                grant(group, Resources.PROCESS_DEFINITION, flow.processKey(), Permissions.READ);
            }
        }
        if (adminProperties.password() != null && !adminProperties.password().isBlank()) {
            ensureUser(adminProperties.id(), adminProperties.password(), "Nodelock", "Administrator", Role.ADMIN.engineGroup());
        }
    }

    /**
     * Earlier versions gave customers an engine group allowed to start the customer-facing models; such an engine
     * identity could start a model at any activity. The group, its memberships and grants go.
     */
    private void removeFormerCustomerGroup() {
        for (Authorization grant : authorizations.createAuthorizationQuery().groupIdIn(FORMER_CUSTOMER_GROUP).list()) {
            authorizations.deleteAuthorization(grant.getId());
        }
        // Its members were customers' engine logins: they go too (with their own grants), unless they are also staff.
        for (User former : identity.createUserQuery().memberOfGroup(FORMER_CUSTOMER_GROUP).list()) {
            boolean staff = identity.createGroupQuery().groupMember(former.getId()).list().stream()
                    .anyMatch(g -> !g.getId().equals(FORMER_CUSTOMER_GROUP));
            if (!staff) {
                for (Authorization grant : authorizations.createAuthorizationQuery().userIdIn(former.getId()).list()) {
                    authorizations.deleteAuthorization(grant.getId());
                }
                identity.deleteUser(former.getId());
                log.warn("Removed the engine user '{}' of the former customer group", former.getId());
            }
        }
        if (identity.createGroupQuery().groupId(FORMER_CUSTOMER_GROUP).count() > 0) {
            identity.deleteGroup(FORMER_CUSTOMER_GROUP);
            log.warn("Removed the engine group '{}': customers no longer hold engine identities", FORMER_CUSTOMER_GROUP);
        }
    }

    /** Creates an engine user (for Tasklist/Cockpit sign-in) in the given group (if any) unless it exists. */
    public void ensureUser(String id, String password, String firstName, String lastName, String group) {
        if (identity.createUserQuery().userId(id).count() == 0) {
            User user = identity.newUser(id);
            user.setPassword(password);
            user.setFirstName(firstName);
            user.setLastName(lastName);
            user.setEmail(id + "@nodelock.local");
            identity.saveUser(user);
            log.info("Created engine user '{}' in group '{}'", id, group);
        }
        if (group != null && identity.createUserQuery().userId(id).memberOfGroup(group).count() == 0) {
            identity.createMembership(id, group);
        }
    }

    private void ensureGroup(String id, String name) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group group = identity.newGroup(id);
            group.setName(name);
            group.setType("WORKFLOW");
            identity.saveGroup(group);
        }
    }

    private void grant(String group, Resource resource, String resourceId, Permission... permissions) {
        List<Authorization> existing = authorizations.createAuthorizationQuery().groupIdIn(group)
                .resourceType(resource).resourceId(resourceId).list();
        Authorization auth = existing.isEmpty() ? authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT) : existing.get(0);
        auth.setGroupId(group);
        auth.setResource(resource);
        auth.setResourceId(resourceId);
        for (Permission p : permissions) {
            auth.addPermission(p);
        }
        authorizations.saveAuthorization(auth);
    }
}
