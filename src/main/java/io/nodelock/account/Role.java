package io.nodelock.account;

/** Account roles; staff roles map one to one onto engine groups so Tasklist and Cockpit see the same people. */
public enum Role {
    CUSTOMER("nodelock-customers", "Customers"),
    OPERATOR("nodelock-operators", "Operators"),
    TAC("tac-approvers", "TAC approvers"),
    ADMIN("operaton-admin", "Administrators");

    private final String engineGroup;
    private final String displayName;

    Role(String engineGroup, String displayName) {
        this.engineGroup = engineGroup;
        this.displayName = displayName;
    }

    /** The group's name as Tasklist and Admin show it. */
    public String displayName() {
        return displayName;
    }

    /** The Operaton group of this role; customers' group may only start the models they are entitled to. */
    public String engineGroup() {
        return engineGroup;
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
