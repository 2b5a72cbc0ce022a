package kefu.desk;

import java.util.Locale;

/** A person who works the desk console: an agent, a supervisor or an admin. */
public record Agent(long id, String login, String name, Role role, boolean active) {

  /** What an agent may do: agents take chats, supervisors also watch every queue and agent, admins manage agents. */
  public enum Role {
    AGENT, SUPERVISOR, ADMIN;

    /** The role named {@code name} (agent, supervisor, admin). */
    public static Role of(String name) {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
