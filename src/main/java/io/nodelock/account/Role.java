package io.nodelock.account;

/** Account roles; staff roles map one to one onto engine groups so Tasklist and Cockpit see the same people. */
public enum Role {
    CUSTOMER(null),
    OPERATOR("nodelock-operators"),
    TAC("tac-approvers"),
    ADMIN("operaton-admin");

    private final String engineGroup;

    Role(String engineGroup) {
        this.engineGroup = engineGroup;
    }

    /** The Operaton group of this role, or null for customers, who never use the engine's webapps. */
    public String engineGroup() {
        return engineGroup;
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
